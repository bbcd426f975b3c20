// Deployed definitions: their versions, how many sagas still run on each, and a diagram of a
// version's steps.

import { get } from './api.js';
import { count, h, isoDuration, nothing, sagasHref, update, when } from './dom.js';

export function mount(main, [name, version]) {
  const list = h('div');
  const detail = h('div');
  main.append(h('h1', {}, 'Definitions'), h('div', { class: 'split' },
    h('section', { class: 'panel', 'aria-labelledby': 'versions-title' }, h('h2', { id: 'versions-title' }, 'Deployed'), list),
    h('section', { class: 'panel grow', 'aria-labelledby': 'diagram-title' }, detail)));
  const details = new Map();

  return {
    async refresh() {
      const [all, overview] = await Promise.all([get('definitions'), get('overview')]);
      const open = new Map(overview.openByVersion.map((c) => [`${c.definition}/${c.version}`, c.count]));
      const byName = new Map();
      for (const d of all) {
        if (!byName.has(d.name)) byName.set(d.name, []);
        byName.get(d.name).push(d);
      }
      const shownName = name || [...byName.keys()][0];
      const versions = byName.get(shownName) || [];
      const shown = versions.find((d) => String(d.version) === String(version)) || versions[versions.length - 1];
      update(list, versionList(byName, open, shown));
      if (!shown) {
        update(detail, h('h2', { id: 'diagram-title' }, 'Steps'), nothing(all.length ? `No definition named ${name}.` : 'No definition is deployed yet.'));
        return;
      }
      const id = `${shown.name}/${shown.version}`;
      if (!details.has(id)) details.set(id, await get(`definitions/${encodeURIComponent(shown.name)}/${shown.version}`));
      update(detail, versionDetail(details.get(id), open.get(id) || 0));
    },
  };
}

function versionList(byName, open, shown) {
  if (!byName.size) return nothing('None yet: deploy one with POST /definitions.');
  return h('ul', { class: 'definitions' }, [...byName].map(([name, versions]) => h('li', {},
    h('div', { class: 'definition-name' },
      h('a', { href: `#/definitions/${encodeURIComponent(name)}` }, name),
      h('a', { class: 'sagas-link', href: sagasHref({ definition: name }) }, 'its sagas')),
    h('table', { class: 'versions' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Version'), h('th', { scope: 'col' }, 'Deployed'), h('th', { scope: 'col', class: 'num' }, 'Running'))),
      h('tbody', {}, [...versions].reverse().map((d) => {
        const current = shown && d.name === shown.name && d.version === shown.version;
        return h('tr', { class: current ? 'current' : '' },
          h('th', { scope: 'row' }, h('a', { href: `#/definitions/${encodeURIComponent(d.name)}/${d.version}`, 'aria-current': current ? 'true' : null }, `v${d.version}`)),
          h('td', {}, when(d.deployedAt), h('span', { class: 'muted' }, ` by ${d.deployedBy}`)),
          h('td', { class: 'num' }, count(open.get(`${d.name}/${d.version}`) || 0)));
      }))))));
}

function versionDetail(definition, running) {
  return [
    h('h2', { id: 'diagram-title' }, `${definition.name} v${definition.version}`),
    h('p', { class: 'hint' }, `${count(running)} ${running === 1 ? 'saga runs' : 'sagas run'} on this version (as of the last recovery scan). Steps run left to right; when one fails for good, the completed ones are undone right to left.`),
    diagram(definition.plan),
    h('details', { class: 'document' }, h('summary', {}, 'Document as deployed'), h('pre', { class: 'json', tabindex: '0' }, definition.document)),
  ];
}

/** The steps as boxes in a row: a parallel step stacks its branches, a compensation hangs below. */
function diagram(plan) {
  return h('div', { class: 'diagram-scroll', tabindex: '0', role: 'group', 'aria-label': `Diagram of ${plan.length} steps` },
    h('ol', { class: 'diagram' },
      h('li', { class: 'terminal-node' }, 'start'),
      plan.map((step) => h('li', { class: 'diagram-step' }, step.kind === 'parallel'
        ? h('div', { class: 'node parallel-node' },
          h('div', { class: 'node-title' }, h('span', { class: 'kind' }, 'parallel'), ' ', step.name),
          h('ol', { class: 'lanes' }, step.branches.map((branch) => h('li', {}, box(branch)))))
        : box(step))),
      h('li', { class: 'terminal-node' }, 'end')));
}

function box(step) {
  if (step.kind === 'receive') {
    return h('div', { class: 'node receive-node' },
      h('div', { class: 'node-title' }, h('span', { class: 'kind' }, 'receive'), ' ', step.name),
      h('div', { class: 'node-line' }, 'waits for ', h('code', {}, step.message)),
      step.timeout ? h('div', { class: 'node-line muted' }, `after ${isoDuration(step.timeout)}: ${step.onTimeout}`) : null);
  }
  return h('div', { class: 'action-stack' },
    h('div', { class: 'node action-node' },
      h('div', { class: 'node-title' }, h('span', { class: 'kind' }, 'action'), ' ', step.name),
      h('div', { class: 'node-line' }, h('code', {}, step.topic)),
      h('div', { class: 'node-line muted' }, `timeout ${isoDuration(step.timeout)} · ${step.maxAttempts} tries`)),
    step.compensationTopic
      ? h('div', { class: 'node compensation-node' },
        h('div', { class: 'node-title' }, h('span', { class: 'kind' }, 'undo'), ' ', 'compensation'),
        h('div', { class: 'node-line' }, h('code', {}, step.compensationTopic)))
      : h('div', { class: 'no-compensation' }, 'nothing to undo'));
}
