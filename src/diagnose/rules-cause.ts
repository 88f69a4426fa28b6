/** The rule that says why the modern hello was refused, from the bisection's result. */
import { describeAnswer } from './answer.ts';
import { featureFix, featureKind, featureNoun, featureWhat } from './bisect.ts';
import { finding, list, orList } from './finding.ts';
import { alertField, type Rule, rule } from './rule.ts';

/** The refused baseline and the working hello's cause, in words. */
export const refusalCause: Rule<never> = rule({
  findings: ['intolerance', 'baseline_refused'],
  reads: [],
  check: (_, { working, observations }) => {
    const baseline = observations.tried[0];
    const cause = observations.cause;
    if (!baseline || baseline === working || !cause) return null;
    const refused = baseline.spec;
    const got = describeAnswer(baseline.answer);
    const evidenceRuns = [baseline, working, ...(cause.shown ? [cause.shown] : [])];
    if (cause.unfinished) {
      return finding(
        'baseline_refused',
        'error',
        `The server refuses ${refused.label} (${got}) but accepts ${working.spec.label}; the time budget ran out before the difference that matters was found (among ${list(cause.differing)}).`,
        [baseline, working, ...cause.runs],
        { differing: cause.differing, ...alertField(baseline) },
        `Send a hello like the one that works: ${working.spec.label}; run again with a longer --timeout for the cause.`,
      );
    }
    if (cause.feature === null) {
      const repairs = (cause.repairs ?? []).map(featureNoun);
      const repaired = repairs.length
        ? `; it connects once it takes the working hello's ${orList(repairs)} alone`
        : '';
      return finding(
        'baseline_refused',
        'error',
        `The server refuses ${refused.label} (${got}) but accepts ${working.spec.label}; no single difference between the two is the cause (${list(cause.differing)} together)${repaired}.`,
        [baseline, working, ...cause.runs],
        {
          differing: cause.differing,
          ...(cause.repairs?.length ? { repairs: cause.repairs } : {}),
          ...alertField(baseline),
        },
        repairs.length
          ? `Change one of these in the refused hello to what the working one sends: ${orList(repairs)}.`
          : `Send a hello like the one that works: ${working.spec.label}.`,
      );
    }
    const what = featureWhat(cause.feature, cause.shown?.spec ?? refused);
    const shownGot = cause.shown ? describeAnswer(cause.shown.answer) : got;
    const fix = featureFix(cause.feature, cause.shown?.spec ?? refused, working.spec, working.answer);
    const kind = featureKind(cause.feature);
    const capital = `${what.charAt(0).toUpperCase()}${what.slice(1)}`;
    const explanation =
      kind === 'intolerance'
        ? `${capital} is what the server refuses: a modern hello gets ${got}, ${working.spec.label} connects (${describeAnswer(working.answer)}), and the same hello with only that change gets ${shownGot}.`
        : `The server refuses ${refused.label} (${got}) for ${what}: ${working.spec.label} connects (${describeAnswer(working.answer)}).`;
    return finding(
      kind === 'intolerance' ? 'intolerance' : 'baseline_refused',
      'error',
      explanation,
      evidenceRuns,
      // The shown probe may have no alert (a TLS 1.2 hello answered in TLS 1.0, which the
      // client itself refuses): then the baseline's alert is the one a client sees.
      { feature: cause.feature, ...alertField(baseline), ...alertField(cause.shown) },
      fix,
    );
  },
});
