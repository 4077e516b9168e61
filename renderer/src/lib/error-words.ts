// The words live in shared/ so the tray (main) says what the window says; the renderer's imports stay.
export { errorWords, type ErrorWords } from '@shared/error-words';
