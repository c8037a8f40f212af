// Small helpers shared by the test files.

/** Sleeps `ms` milliseconds. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** OpenIM's 1:1 conversation ID (`si_<smaller>_<larger>`). */
export const singleConversationID = (a, b) => `si_${[a, b].sort().join('_')}`;

/** OpenIM's group conversation ID. */
export const groupConversationID = (groupID) => `sg_${groupID}`;

/** How long an idle connection is watched (IM_E2E_IDLE_SECONDS, default 60). */
export const IDLE_MS = Number(process.env.IM_E2E_IDLE_SECONDS || 60) * 1000;

/** A unique text for one assertion. */
export const uniqueText = (label) => `${label} ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
