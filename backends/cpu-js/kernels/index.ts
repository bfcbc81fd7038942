/** Every cpu-js kernel file, one line each; importing this module registers them all. */
import './arithmetic.js';
import './matmul.js';
import './relu.js';
