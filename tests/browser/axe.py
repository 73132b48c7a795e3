"""axe-core in a real page: the npm package pinned in package.json, injected from node_modules (never
a CDN), run with the WCAG 2.2 AA rule set."""

from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page, where: str) -> list[str]:
    """Run axe on the page as it is now; one readable line per failing element:
    `where | rule | element | what is wrong`."""
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: `make install` runs `npm ci`, which installs axe-core.")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated by the test driver, not added as a <script>: our Content-Security-Policy
        # rightly refuses inline scripts in the page.
        page.evaluate(AXE_JS.read_text())
    # Colours are checked as they end up, not half-way through a button's 0.15 s transition
    # (an endless animation, such as a spinner, cannot finish and stays as it is).
    page.evaluate("document.getAnimations().forEach(a => { if (a.effect.getTiming().iterations !== Infinity) a.finish(); })")
    violations = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
            .then(r => r.violations.map(v => ({id: v.id, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))})))""",
        TAGS,
    )
    return [
        f"{where} | {v['id']} | {node['target']} | {' '.join(node['summary'].split())}"
        for v in violations
        for node in v["nodes"]
    ]
