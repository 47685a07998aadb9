// What dist/ is built from: the bin runs dist/ only when none of these is newer than the build's stamp.
export const SOURCES = ['src', 'pipelines', 'transforms', 'config/profiles'];
export const STAMP = '.built';
