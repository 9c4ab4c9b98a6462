import { subgraphTypeDefs } from '@pactum/subgraph-kit';
import { agencySubgraphs, checkSchema, loadOperations, loadSupergraphSdl, type ClassifiedChange, type SchemaCheckReport } from '../../index';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { customsSdl } = require('../../../../subgraphs/customs/src/schema') as { customsSdl: string };

const operations = loadOperations();
const baseSdl = loadSupergraphSdl();

/** The check with customs' SDL edited by `edit` (the other subgraphs as they are). */
function withCustoms(edit: (sdl: string) => string): Extract<SchemaCheckReport, { ok: true }> {
  const changed = edit(customsSdl);
  if (changed === customsSdl) throw new Error('the edit changed nothing');
  const subgraphs = agencySubgraphs().map((s) => (s.name === 'customs' ? { ...s, typeDefs: subgraphTypeDefs(changed) } : s));
  const report = checkSchema({ subgraphs, baseSdl, operations });
  if (!report.ok) throw new Error(`composition failed: ${report.compositionErrors.map((e) => e.message).join('; ')}`);
  return report;
}

const breaking = (r: { changes: readonly ClassifiedChange[] }) => r.changes.filter((c) => c.level === 'breaking').map((c) => ({ type: c.type, coordinate: c.coordinate, breaks: c.breaks }));

describe('checkSchema: changes against the committed supergraph', () => {
  it('the working tree as committed: no change, no broken operation, the nullability rule kept', () => {
    const report = checkSchema({ baseSdl, operations });
    expect(report.ok && report.changes).toEqual([]);
    expect(report.ok && report.invalidOperations).toEqual({});
    expect(report.ok && report.nullability).toEqual({});
  });

  it('a removed field that shipped operations use: breaking, naming each operation it breaks', () => {
    const r = withCustoms((s) => s.replace('    reefer: Boolean\n', ''));
    expect(breaking(r)).toEqual([{ type: 'FIELD_REMOVED', coordinate: 'Container.reefer', breaks: ['ContainerDossier', 'InvestigationFile', 'SeizuresAtPort'] }]);
    expect(Object.keys(r.invalidOperations).sort()).toEqual(['ContainerDossier', 'InvestigationFile', 'SeizuresAtPort']);
    expect(r.invalidOperations['ContainerDossier']?.[0]).toContain('Cannot query field "reefer" on type "Container"');
  });

  it('a field whose type changes: breaking for the operations selecting it', () => {
    const r = withCustoms((s) => s.replace(/(type Seizure[^}]*?)quantityKg: Float/s, '$1quantityKg: String'));
    expect(breaking(r)).toEqual([{ type: 'FIELD_CHANGED_KIND', coordinate: 'Seizure.quantityKg', breaks: ['ContainerDossier', 'SeizuresAtPort'] }]);
  });

  it('an argument made required: breaking for the operations calling the field', () => {
    const r = withCustoms((s) => s.replace('vessel(imo: IMO!): Vessel', 'vessel(imo: IMO!, since: DateTime!): Vessel'));
    expect(breaking(r)).toEqual([{ type: 'REQUIRED_ARG_ADDED', coordinate: 'Query.vessel', breaks: ['VesselDossier', 'VesselPortCalls'] }]);
    expect(Object.keys(r.invalidOperations).sort()).toEqual(['VesselDossier', 'VesselPortCalls']);
  });

  it('an argument whose nullability is tightened: breaking', () => {
    const r = withCustoms((s) => s.replace('seizures(port: UNLocode, first: Int = 20)', 'seizures(port: UNLocode!, first: Int = 20)'));
    expect(breaking(r)).toEqual([{ type: 'ARG_CHANGED_KIND', coordinate: 'Query.seizures', breaks: ['SeizuresAtPort'] }]);
  });

  it('an output field made non-null: compatible for clients, but the nullability rule is broken (a denied value would wipe its parent)', () => {
    const r = withCustoms((s) => s.replace('    reefer: Boolean\n', '    reefer: Boolean!\n'));
    expect(breaking(r)).toEqual([]);
    expect(r.nullability).toEqual({ customs: ['Container.reefer'] });
  });

  it('an output field made nullable again after a release that had it non-null: breaking', () => {
    // Against a base where Container.reefer was non-null, today's nullable one loosens the output.
    const tightened = withCustoms((s) => s.replace('    reefer: Boolean\n', '    reefer: Boolean!\n'));
    const r = checkSchema({ baseSdl: tightened.sdl, operations });
    expect(r.ok && breaking(r)).toEqual([{ type: 'FIELD_CHANGED_KIND', coordinate: 'Container.reefer', breaks: ['ContainerDossier', 'InvestigationFile', 'SeizuresAtPort'] }]);
  });

  it('an enum value removed, an optional argument added, a new field: breaking, dangerous and safe', () => {
    const r = withCustoms((s) =>
      s
        .replace('vessel(imo: IMO!): Vessel', 'vessel(imo: IMO!, asOf: DateTime): Vessel')
        .replace('    reefer: Boolean\n', '    reefer: Boolean\n    "Temperature setting in °C."\n    setpointC: Float\n'),
    );
    expect(r.changes.map((c) => [c.level, c.type, c.coordinate])).toEqual([
      ['dangerous', 'OPTIONAL_ARG_ADDED', 'Query.vessel'],
      ['safe', 'FIELD_ADDED', 'Container.setpointC'],
    ]);
    expect(r.newFields).toEqual(['Container.setpointC']);
    const enumBase = baseSdl.replace(/(enum HandlingCode[^{]*\{)/, '$1\n  H9');
    const removed = checkSchema({ baseSdl: enumBase, operations });
    expect(removed.ok && breaking(removed)).toEqual([{ type: 'VALUE_REMOVED_FROM_ENUM', coordinate: 'HandlingCode', breaks: ['AssetByIban', 'ContainerDossier', 'HitFollowUp', 'InvestigationFile', 'JudicialCaseFile', 'OrganisedCrimeGroup', 'SeizuresAtPort', 'VesselDossier', 'VesselPortCalls'] }]);
  });

  it('a composition error is reported as such, with the subgraph', () => {
    const subgraphs = agencySubgraphs().map((s) => (s.name === 'customs' ? { ...s, typeDefs: subgraphTypeDefs(customsSdl.replace('number: ContainerNumber!', 'number: String!')) } : s));
    const r = checkSchema({ subgraphs, baseSdl, operations });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.compositionErrors.some((e) => e.subgraphs.includes('customs'))).toBe(true);
  });
});
