import { MigrationInterface } from 'typeorm';
import { migrations } from '.';

describe('directory migrations', () => {
  it('keep the names deployed databases recorded them under, whatever their classes are called now', () => {
    const names = migrations.map((migration) => new (migration as new () => MigrationInterface)().name);
    expect(names).toEqual([
      'MessagingTables1763900000000',
      'NetworkIdentity1763900100000',
      'ResourceDirectory1763900200000',
      'ListingSearchPlanning1763900400000',
      'ImportRate1763900600000',
      'SearchWords1763900700000',
      'ImportWrites1763900800000',
      'HiddenLocationSearchRows1764100000000',
      'ApiClientRateLimit1764200000000',
      'OrganizationProtections1764300000000',
    ]);
  });
});
