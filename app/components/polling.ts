import { useEffect, useRef, useState } from "react";

/**
 * Polls a JSON address of the app while `enabled`, one request at a time: the next one starts
 * `everyMs` after the previous answered, so a slow answer is never cut short by the next
 * poll. The request is the page's own `fetch` (App Bridge adds the session token), not a Remix
 * fetcher: the router aborts an in-flight fetcher load when it revalidates or navigates, and
 * Remix logs a load aborted while its answer is read as a console error. Here a poll under way
 * when polling stops is let finish (its answer is dropped), leaving the page aborts it
 * quietly, and a failed poll is tried again at the next interval. Returns the last answer,
 * with the address it came from; it stays when polling stops.
 */
export function usePolled<T>(
  url: string,
  everyMs: number,
  /** Whether to poll; a function gets the last answer for this `url` (undefined before one). */
  enabled: boolean | ((last: T | undefined) => boolean),
  options: { immediate?: boolean } = {},
): { url: string; data: T } | undefined {
  const [answer, setAnswer] = useState<{ url: string; data: T }>();
  const immediate = options.immediate ?? false;
  const on = typeof enabled === "function" ? enabled(answer?.url === url ? answer.data : undefined) : enabled;
  const unmounted = useRef(new AbortController());

  useEffect(() => {
    const controller = new AbortController();
    unmounted.current = controller;
    return () => controller.abort();
  }, []);

  useEffect(() => {
    if (!on) return;
    const { signal } = unmounted.current;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const response = await fetch(url, { signal, headers: { accept: "application/json" } });
        if (response.ok) {
          const data = (await response.json()) as T;
          if (!stopped) setAnswer({ url, data });
        }
      } catch {
        // Aborted (the page went away) or the network failed: the next poll tries again.
      }
      if (!stopped && !signal.aborted) timer = setTimeout(() => void poll(), everyMs);
    };
    timer = setTimeout(() => void poll(), immediate ? 0 : everyMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [url, everyMs, on, immediate]);
  return answer;
}
