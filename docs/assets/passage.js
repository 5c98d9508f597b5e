/* passage.js: see its owner's module */
