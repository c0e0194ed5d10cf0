/** Requisite fixtures, chunks built by the test helper's SLS converter (runner in isolation). */
import { defineSuite } from './fixture-suite.js';

defineSuite('helper');
