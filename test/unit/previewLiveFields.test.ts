// The live impact leaves out our ApplySet membership label (bookkeeping the apply adds to every
// object it takes over), which otherwise reads as "overwrites live drift" on objects nobody
// changed — and keeps every other field, other labels added alongside it included.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { withoutMembershipLabel } from '../../src/cluster/sync/livePreview';
import { APPLYSET_PART_OF_LABEL } from '../../src/core/sync/applySet';
import { fuzzRuns } from '../support/fuzzSettings';

const PART_OF = APPLYSET_PART_OF_LABEL;

describe('live impact fields without the membership label', () => {
  it('drops the label alone, a labels map added only for it, and keeps the rest', () => {
    const fields = [
      { path: `metadata.labels["${PART_OF}"]`, before: null, after: 'applyset-x-v1', drift: true },
      { path: 'spec.replicas', before: 5, after: 2, drift: true },
      { path: 'data.LOG_LEVEL', before: null, after: 'info' },
    ];
    assert.deepEqual(withoutMembershipLabel(fields), fields.slice(1));
    assert.deepEqual(withoutMembershipLabel([{ path: 'metadata.labels', before: null, after: { [PART_OF]: 'applyset-x-v1' }, drift: true }]), []);
    assert.deepEqual(withoutMembershipLabel([{ path: 'metadata.labels', before: null, after: { [PART_OF]: 'a', team: 'web' }, drift: true }]), [{ path: 'metadata.labels', before: null, after: { team: 'web' }, drift: true }]);
    assert.deepEqual(withoutMembershipLabel([{ path: 'metadata.labels', before: { team: 'web' }, after: { [PART_OF]: 'a', team: 'web' } }]), []);
  });

  it('property: no membership label survives, and fields that are not about labels pass unchanged in order', () => {
    const other = fc.record({ path: fc.constantFrom('spec.replicas', 'data.a', 'spec.template.spec.containers[name=web].image'), before: fc.jsonValue(), after: fc.jsonValue() });
    const membership = fc.oneof(
      fc.record({ path: fc.constant(`metadata.labels["${PART_OF}"]`), before: fc.constant(null), after: fc.string() }),
      fc.record({ path: fc.constant('metadata.labels'), before: fc.option(fc.dictionary(fc.constantFrom('team', 'app'), fc.string()), { nil: null }), after: fc.dictionary(fc.constantFrom('team', 'app'), fc.string()).map((labels) => ({ ...labels, [PART_OF]: 'applyset-x-v1' })) }),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(other, membership), { maxLength: 8 }), (fields) => {
        const out = withoutMembershipLabel(fields);
        assert.ok(!JSON.stringify(out).includes(PART_OF));
        assert.deepEqual(
          out.filter((f) => !f.path.startsWith('metadata.labels')),
          fields.filter((f) => !f.path.startsWith('metadata.labels')),
        );
      }),
      fuzzRuns(300, 77),
    );
  });
});
