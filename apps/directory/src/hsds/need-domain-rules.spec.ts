import { SDOH_NEEDS } from '@nwd/contracts';
import { needDomainsFor } from './need-domain-rules';

describe('needDomainsFor', () => {
  const oe = (code: string, name: string) => needDomainsFor({ code, name, taxonomy: 'Open Eligibility' });

  it('maps Open Eligibility codes by their most specific prefix', () => {
    expect(oe('102', 'Food')).toEqual(['food-insecurity']);
    expect(oe('102-04', 'Food Pantry')).toEqual(['food-insecurity']);
    expect(oe('103', 'Housing')).toEqual(['housing-instability']);
    expect(oe('103-01', 'Emergency Shelter')).toEqual(['homelessness']);
    expect(oe('103-03-02', 'Cash for Utilities')).toEqual(['utility-insecurity']);
    expect(oe('101-06-01', 'Help Escape Violence')).toEqual(['intimate-partner-violence']);
    expect(oe('110-01-01', 'Job Placement')).toEqual(['employment-status']);
  });

  it('does not read a prefix inside a longer segment (1030 is not 103)', () => {
    expect(needDomainsFor({ code: '1030', name: 'Something', taxonomy: 'Open Eligibility' })).toEqual([]);
  });

  it('maps free keywords of other taxonomies by their words', () => {
    expect(needDomainsFor({ name: 'Food Pantries', taxonomy: 'Ohana keywords' })).toEqual(['food-insecurity']);
    expect(needDomainsFor({ name: 'Homeless Shelter', taxonomy: 'Ohana keywords' })).toEqual(['homelessness']);
    expect(needDomainsFor({ name: 'Utility Assistance', taxonomy: 'Ohana keywords' })).toEqual(['utility-insecurity']);
    expect(needDomainsFor({ name: 'Domestic Violence Shelters', taxonomy: 'AIRS' })).toEqual(['homelessness', 'intimate-partner-violence']);
    expect(needDomainsFor({ name: 'Tourist Information', taxonomy: 'Ohana keywords' })).toEqual([]);
  });

  it('yields only codes of the SDOH need domain value set', () => {
    const samples = ['101-02-06', '104-05-02', '106-05-04', '107-02-04', '109-03-03', '111-05'].map((code) => oe(code, 'x'));
    for (const domain of samples.flat()) expect(SDOH_NEEDS).toContain(domain);
    expect(samples.every((domains) => domains.length > 0)).toBe(true);
  });
});
