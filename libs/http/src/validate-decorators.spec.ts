import { ValidateBoolean, ValidateDateTime, ValidateEnum, ValidateInt, ValidateUUID } from './validate-decorators';
import { createValidationPipe } from './validation';

const COLOURS = ['red', 'green'] as const;

class ListQueryDto {
  @ValidateBoolean({ optional: true, description: 'Only open ones' }) open?: boolean;
  @ValidateUUID({ optional: true }) ownerId?: string;
  @ValidateInt({ optional: true, min: 1, max: 100, default: 20 }) limit?: number;
  @ValidateEnum(COLOURS, { optional: true }) colour?: string;
  @ValidateDateTime({ optional: true }) from?: string;
}

class CreateDto {
  @ValidateUUID() ownerId!: string;
  @ValidateEnum(COLOURS, { each: true }) colours!: string[];
  @ValidateDateTime() at!: string;
  @ValidateBoolean() open!: boolean;
  @ValidateInt({ min: 0 }) count!: number;
}

const pipe = createValidationPipe();
/** Where @ApiProperty keeps a property's schema (@nestjs/swagger's DECORATORS.API_MODEL_PROPERTIES, not exported). */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';
const UUID = '0190a3e0-0000-7000-8000-000000000000';

async function fieldsRefused(metatype: new () => object, value: object, type: 'query' | 'body' = 'query'): Promise<string[]> {
  try {
    await pipe.transform(value, { type, metatype });
    return [];
  } catch (error) {
    const response = (error as { response?: { code: string; errors: { field: string }[] } }).response;
    expect(response?.code).toBe('request.validation-failed');
    return response!.errors.map((e) => e.field);
  }
}

function schemaOf(dto: new () => object, property: string): Record<string, unknown> {
  return Reflect.getMetadata(API_MODEL_PROPERTIES, dto.prototype, property) as Record<string, unknown>;
}

describe('the composite validation decorators', () => {
  it('read a query string into typed values', async () => {
    await expect(
      pipe.transform({ open: 'false', ownerId: UUID, limit: '100', colour: 'green', from: '2026-12-01T10:00:00Z' }, { type: 'query', metatype: ListQueryDto }),
    ).resolves.toEqual({ open: false, ownerId: UUID, limit: 100, colour: 'green', from: '2026-12-01T10:00:00Z' });
    await expect(pipe.transform({}, { type: 'query', metatype: ListQueryDto })).resolves.toEqual({});
  });

  it.each([
    ['open', 'yes'],
    ['open', '1'],
    ['ownerId', 'not-a-uuid'],
    ['limit', '0'],
    ['limit', '101'],
    ['limit', '1e1'],
    ['limit', '0x10'],
    ['colour', 'blue'],
    ['from', '2026-02-30T10:00:00Z'],
    ['from', 'yesterday'],
  ])('refuse %s=%p with a 400 naming the field', async (field, value) => {
    expect(await fieldsRefused(ListQueryDto, { [field]: value })).toEqual([field]);
  });

  it('require what is not optional, naming each field', async () => {
    expect(await fieldsRefused(CreateDto, {}, 'body')).toEqual(['ownerId', 'colours', 'at', 'open', 'count']);
    expect(await fieldsRefused(CreateDto, { ownerId: UUID, colours: ['red', 'blue'], at: '2026-12-01T10:00:00Z', open: true, count: -1 }, 'body')).toEqual([
      'colours',
      'count',
    ]);
    expect(await fieldsRefused(CreateDto, { ownerId: UUID, colours: 'red', at: '2026-12-01T10:00:00Z', open: true, count: 0 }, 'body')).toEqual(['colours']);
  });

  it('document the property as the rule enforces it', () => {
    expect(schemaOf(ListQueryDto, 'open')).toMatchObject({ type: Boolean, required: false, description: 'Only open ones' });
    expect(schemaOf(ListQueryDto, 'ownerId')).toMatchObject({ type: String, format: 'uuid', required: false });
    expect(schemaOf(ListQueryDto, 'limit')).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 20, required: false });
    expect(schemaOf(ListQueryDto, 'colour')).toMatchObject({ enum: ['red', 'green'], isArray: false, required: false });
    expect(schemaOf(ListQueryDto, 'from')).toMatchObject({ type: String, format: 'date-time', required: false });
    // @ApiProperty leaves `required` out: the document then lists the property as required.
    for (const property of ['ownerId', 'colours', 'at', 'open', 'count']) expect(schemaOf(CreateDto, property).required).toBeUndefined();
    expect(schemaOf(CreateDto, 'colours')).toMatchObject({ type: 'array', items: { type: 'string', enum: ['red', 'green'] } });
    expect(schemaOf(CreateDto, 'count')).toMatchObject({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
  });
});
