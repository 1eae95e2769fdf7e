import { plainToInstance } from 'class-transformer';
import { IsOptional, IsString, validateSync } from 'class-validator';
import { BooleanValue, createValidationPipe, IntegerValue, OptionalNotNull } from './validation';

class QueryDto {
  @IsOptional() @IntegerValue({ min: 1 }) page?: number;
  @IsOptional() @IntegerValue({ min: 1, max: 500 }) limit?: number;
  @IsOptional() @BooleanValue() dryRun?: boolean;
}

class RenameDto {
  @OptionalNotNull() @IsString() name?: string;
}

function read<T extends object>(dto: new () => T, plain: object): { value: T; invalid: string[] } {
  const value = plainToInstance(dto, plain);
  return { value, invalid: validateSync(value).map((e) => e.property) };
}

describe('IntegerValue', () => {
  it.each([
    ['1', 1],
    ['500', 500],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('reads %p as %p', (page, expected) => {
    expect(read(QueryDto, { page })).toEqual({ value: { page: expected }, invalid: [] });
  });

  it.each(['1e20', '99999999999999999999', '9007199254740992', '0x10', '1.0', '0', '-1', '', ' 1', 'abc'])('refuses page=%p', (page) => {
    expect(read(QueryDto, { page }).invalid).toEqual(['page']);
  });

  it('keeps its own upper bound', () => {
    expect(read(QueryDto, { limit: '501' }).invalid).toEqual(['limit']);
  });
});

describe('BooleanValue', () => {
  it.each([
    [true, true],
    ['true', true],
    [false, false],
    ['false', false],
  ])('reads %p as %p', (dryRun, expected) => {
    expect(read(QueryDto, { dryRun })).toEqual({ value: { dryRun: expected }, invalid: [] });
  });

  it.each(['yes', '1', 'FALSE', 0, {}])('refuses %p', (dryRun) => {
    expect(read(QueryDto, { dryRun }).invalid).toEqual(['dryRun']);
  });
});

describe('OptionalNotNull', () => {
  it('lets a property be left out but not sent as null', () => {
    expect(read(RenameDto, {}).invalid).toEqual([]);
    expect(read(RenameDto, { name: null }).invalid).toEqual(['name']);
  });
});

describe('the global validation pipe', () => {
  const pipe = createValidationPipe();

  it('refuses a NUL character in a path parameter, naming it', async () => {
    await expect(pipe.transform('a\u0000b', { type: 'param', data: 'clientId', metatype: String })).rejects.toMatchObject({
      response: { code: 'request.validation-failed', errors: [{ field: 'clientId', messages: ['clientId must not contain a NUL character'] }] },
    });
  });

  it.each([null, undefined, [], 'text'])('refuses a DTO body of %p', async (body) => {
    await expect(pipe.transform(body, { type: 'body', metatype: RenameDto })).rejects.toMatchObject({
      response: { errors: [{ field: 'body', messages: ['body must be a JSON object'] }] },
    });
  });

  it('passes an untyped body through once it holds nothing refused', async () => {
    await expect(pipe.transform({ grant_type: 'client_credentials' }, { type: 'body', metatype: Object })).resolves.toEqual({ grant_type: 'client_credentials' });
  });
});
