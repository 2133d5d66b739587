/** The end-to-end scenarios against the lab's own DNS server (always available). */
import { defineScenarios } from './scenarios.js';

defineScenarios('lab', false);
