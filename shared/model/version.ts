/**
 * Dropscope's version, as the CLI prints it and reports and exports record it. Equal to
 * package.json's `version` (a test checks); one constant so that the two can never drift.
 */
export const DROPSCOPE_VERSION = '0.1.0';
