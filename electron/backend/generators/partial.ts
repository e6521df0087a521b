/**
 * Name prefix of an output still being written (renamed to its final name when done). Its own module so the
 * workbench can tell finished builds from unfinished ones without loading the PDF and DOCX stacks.
 */
export const PARTIAL_PREFIX = '.~partial-';
