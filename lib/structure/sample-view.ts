/**
 * A listener's sample as the API shows it (SPEC §10): the stored request plus the
 * records flows would receive from it, in the mapped shape (`records.output`).
 */
import { previewRecords } from '../ingest/build-job';
import type { RuntimeListener } from '../ingest/runtime-listener';
import type { Sample } from '../store/store';

export function sampleView(listener: RuntimeListener | undefined, sample: Sample): Record<string, unknown> {
  if (!listener) return { ...sample };
  try {
    const { records, mappingErrors } = previewRecords(listener, sample);
    const errors = mappingErrors.map(({ index, traceKey, message }) => ({ index, traceKey, message }));
    return { ...sample, records, ...(errors.length > 0 ? { mappingErrors: errors } : {}) };
  } catch {
    // A sample the resource path finds nothing in is still the sample.
    return { ...sample, records: [] };
  }
}
