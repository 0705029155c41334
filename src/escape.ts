/**
 * Text made safe inside HTML or XML, in element content and in quoted
 * attributes alike: the one escaper of every page tob writes (reports,
 * timelines, Elle's cycle diagrams, the checker pages, JUnit).
 */
const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
