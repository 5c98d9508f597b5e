/* glossary.js: see its owner's module */
