// Replaced by the studio shell (issue 19): defines <consult-studio>.
export {};
