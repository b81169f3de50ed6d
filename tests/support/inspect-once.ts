/** A process that inspects one file and prints the verdict: it must then end by itself. */
import { EvidenceInspector } from '../../evidence/inspector';
import { SAMPLE_JPEG } from '../../scripts/sample-files';

const verdict = await new EvidenceInspector().inspect(Buffer.from(SAMPLE_JPEG));
console.log(JSON.stringify({ ok: verdict.ok }));
