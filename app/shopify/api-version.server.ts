/** The Admin API version every request of the app uses (and the simulator serves). */
export const API_VERSION_STRING = "2026-07";
