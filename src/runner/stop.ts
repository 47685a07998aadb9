/** Set by SIGTERM / service stop: no new work starts; what was sent to the shop finishes. */
export interface StopSignal { stopped: boolean }
