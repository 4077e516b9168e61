/** Unsent text per conversation, so switching away and back does not lose what was typed. */
export const drafts = new Map<string, string>();
