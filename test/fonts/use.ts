/** Imported first by scripts that render text (bench:ocr): fontconfig sees only the test fonts. */
import { useTestFonts } from './setup.js';

useTestFonts();
