/** The memory baseline: a Node process that loads nothing but the probe and reports its peak RSS. */
import { reportPeak } from './memory-probe';

reportPeak();
