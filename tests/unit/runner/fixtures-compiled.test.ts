/** Requisite fixtures driven through the real compiler (compileSls) and the runner. */
import { defineSuite } from './fixture-suite.js';

defineSuite('compiled');
