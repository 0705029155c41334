/** The report page's own styles (uPlot's stylesheet is inlined before these). */
export const PAGE_CSS = `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; --card: #fff;
  --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9; --unk: #9a6700; --unk-bg: #fff8c5; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 20px 24px 40px; }
header h1 { font-size: 20px; margin: 0 0 2px; }
header p { margin: 0; color: var(--muted); }
header a { color: #0969da; }
.banner { display: flex; align-items: baseline; gap: 14px; margin: 16px 0; padding: 14px 18px;
  border-radius: 8px; border: 1px solid; }
.banner .word { font-size: 24px; font-weight: 700; letter-spacing: .04em; }
.banner.valid { background: var(--ok-bg); border-color: var(--ok); color: var(--ok); }
.banner.invalid { background: var(--bad-bg); border-color: var(--bad); color: var(--bad); }
.banner.unknown { background: var(--unk-bg); border-color: var(--unk); color: var(--unk); }
.banner .detail { color: var(--fg); }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(100px, 1fr)); gap: 10px; margin-bottom: 16px; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
.stat .k { color: var(--muted); font-size: 12px; }
.stat .v { font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin-bottom: 16px; min-width: 0; }
.card h2 { font-size: 15px; margin: 0 0 2px; }
.hint { color: var(--muted); font-size: 12px; margin: 0 0 8px; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
@media (max-width: 900px) { .grid2 { grid-template-columns: 1fr; } }
.chart { width: 100%; min-height: 120px; }
.chart.empty { display: flex; align-items: center; justify-content: center; color: var(--muted); }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; font-size: 12px; color: var(--muted); }
.chip { display: inline-flex; align-items: center; gap: 4px; }
.chip i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
th { font-weight: 600; color: var(--muted); font-size: 12px; }
td.wrap { white-space: normal; text-align: left; }
.badge { display: inline-block; min-width: 62px; text-align: center; padding: 1px 8px; border-radius: 10px;
  font-size: 12px; font-weight: 600; }
.badge.valid { background: var(--ok-bg); color: var(--ok); }
.badge.invalid { background: var(--bad-bg); color: var(--bad); }
.badge.unknown { background: var(--unk-bg); color: var(--unk); }
details.checker { border-bottom: 1px solid var(--line); padding: 6px 0; }
details.checker summary { cursor: pointer; display: flex; flex-wrap: wrap; align-items: center; gap: 10px; }
details.checker .figs { color: var(--muted); font-size: 12px; }
details.checker pre { background: var(--bg); border-radius: 6px; padding: 10px; overflow: auto; max-height: 420px; font-size: 12px; }
details.checker pre.explain { background: var(--bad-bg); color: var(--fg); white-space: pre-wrap; font-size: 13px; }
.notes li { color: var(--unk); }
footer { color: var(--muted); font-size: 12px; text-align: center; }
.uplot { font-family: inherit; }
`;
