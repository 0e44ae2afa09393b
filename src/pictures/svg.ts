/** Text inside SVG markup: card text may hold '<', '&' or quotes. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
