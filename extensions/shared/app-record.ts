import { useCallback, useEffect, useState } from "preact/hooks";

/**
 * What both admin blocks do with the app: read one record of the selected order or product
 * from the app's extension API, and post actions on it. Shopify resolves a relative address
 * against the app's URL and adds the session token; the app answers JSON, or `{ error, fields }`
 * with the status of a refusal (app/admin/extension-api.server.ts).
 */

export interface Answer<T> {
  status: number;
  body: { error?: string; message?: string; fields?: Record<string, string> } & Partial<T>;
}

export type RecordView<T> =
  | { kind: "loading" }
  | { kind: "ready"; record: T }
  | { kind: "missing"; message: string }
  | { kind: "failed"; message: string };

export interface ActionResult {
  tone: "success" | "critical";
  text: string;
}

/**
 * The selected record's id in Shopify (`shopify.data.selected` of the block's target): the
 * number at the end of the gid the admin gives the block.
 */
export function selectedId(selected: readonly { id: string }[]): string {
  return selected[0]?.id.split("/").pop() ?? "";
}

export async function callApp<T>(path: string, init?: { body: unknown }): Promise<Answer<T>> {
  const response = await fetch(path, {
    ...(init
      ? { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(init.body) }
      : {}),
  });
  const text = await response.text();
  let body: Answer<T>["body"] = {};
  try {
    body = text ? (JSON.parse(text) as Answer<T>["body"]) : {};
  } catch {
    body = { error: `The app answered ${response.status} ${response.statusText}.` } as Answer<T>["body"];
  }
  return { status: response.status, body };
}

/** A refusal in the app's words: its messages per field when it refused the input, else its error. */
export function failure(answer: Answer<unknown>): string {
  if (answer.status === 401) return "Shopify's session was not accepted by the app; reload the page.";
  const fields = Object.values(answer.body.fields ?? {});
  const error = answer.body.error ?? `The app answered ${answer.status}.`;
  return fields.length > 0 && error.startsWith("invalid input") ? fields.join("; ") : error;
}

export type Act = (key: string, body: unknown) => Promise<void>;

/**
 * The record at `path`, loaded when the block mounts and again after every action; `act(key,
 * body)` posts an action, `busy` is the key of the one under way and `result` what the app
 * said of the last one.
 */
export function useAppRecord<T>(path: string) {
  const [view, setView] = useState<RecordView<T>>({ kind: "loading" });
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<ActionResult | null>(null);

  const load = useCallback(async () => {
    try {
      const answer = await callApp<T>(path);
      if (answer.status === 200) setView({ kind: "ready", record: answer.body as T });
      else if (answer.status === 404) setView({ kind: "missing", message: failure(answer) });
      else setView({ kind: "failed", message: failure(answer) });
    } catch (error) {
      setView({ kind: "failed", message: `The app could not be reached: ${String(error)}` });
    }
  }, [path]);

  useEffect(() => {
    void load();
  }, [load]);

  const act: Act = async (key, body) => {
    setBusy(key);
    setResult(null);
    try {
      const answer = await callApp<T>(path, { body });
      setResult(
        answer.status === 200
          ? { tone: "success", text: answer.body.message ?? "Done." }
          : { tone: "critical", text: failure(answer) },
      );
      await load();
    } catch (error) {
      setResult({ tone: "critical", text: `The app could not be reached: ${String(error)}` });
    } finally {
      setBusy(null);
    }
  };

  return { view, busy, result, act };
}
