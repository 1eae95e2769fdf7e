import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { isUUID } from 'class-validator';
import { CurrentPrincipal, Principal, Roles } from '@nwd/auth';
import { DomainError } from '@nwd/errors';
import { ApiProblems, UuidParam } from '@nwd/http';
import { Clock } from '@nwd/clock';
import { FHIR_FIELDS } from './consent-terms.check';
import { CreateConsentDto, RevokeConsentDto } from './dto/consent.dto';
import { ConsentResponse, FHIR_CONSENT_SCHEMA } from './dto/consent.response';
import { exportSdohccConsent, importSdohccConsent } from './fhir/sdohcc-consent';
import { FHIR_JSON } from './fhir/fhir-json.parser';
import { ConsentsService } from './consents.service';

/** Members' staff and systems record and revoke consents; network admins read them. */
const ACTORS = ['staff', 'system', 'org-admin'] as const;

@ApiTags('consents')
@ApiExtraModels(ConsentResponse)
@Controller('v1')
export class ConsentsController {
  constructor(
    private readonly consents: ConsentsService,
    private readonly clock: Clock,
  ) {}

  @Post('consents')
  @Roles(...ACTORS)
  @ApiCreatedResponse({ type: ConsentResponse, description: 'The consent, recorded; consent.v1.granted goes out' })
  @ApiProblems(404, 422, 503)
  @ApiOperation({ summary: 'Record a consent' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateConsentDto) {
    const { period, ...terms } = body;
    return this.consents.create(principal, {
      ...terms,
      start: period ? new Date(period.start) : undefined,
      end: period?.end ? new Date(period.end) : null,
    });
  }

  @Post('consents/$import')
  @Roles(...ACTORS)
  @ApiConsumes(FHIR_JSON, 'application/json')
  @ApiBody({ schema: FHIR_CONSENT_SCHEMA, description: 'An SDOHCC Consent (FHIR R4)' })
  @ApiQuery({ name: 'clientId', required: false, description: 'The client, when Consent.patient does not reference Patient/<client id>' })
  @ApiCreatedResponse({ type: ConsentResponse, description: 'An SDOHCC Consent (FHIR R4), recorded as ours; what cannot be mapped is a 400 naming the element' })
  @ApiProblems(404, 422, 503)
  @ApiOperation({ summary: 'Record a consent from an SDOHCC Consent (FHIR R4)' })
  import(@CurrentPrincipal() principal: Principal, @Body() resource: unknown, @Query('clientId') clientId?: string) {
    if (clientId !== undefined && (typeof clientId !== 'string' || !isUUID(clientId))) {
      throw DomainError.invalid('request.validation-failed', 'Invalid clientId', [{ field: 'clientId', messages: ['clientId must be a UUID'] }]);
    }
    const imported = importSdohccConsent(resource, clientId);
    if (!imported.terms) throw DomainError.invalid('request.validation-failed', `Invalid ${imported.problems.map((p) => p.field).join(', ')}`, imported.problems);
    return this.consents.create(principal, imported.terms, FHIR_FIELDS);
  }

  @Get('consents/:id')
  @ApiOkResponse({
    description: 'The consent; as an SDOHCC Consent with Accept: application/fhir+json',
    content: { 'application/json': { schema: { $ref: getSchemaPath(ConsentResponse) } }, [FHIR_JSON]: { schema: FHIR_CONSENT_SCHEMA } },
  })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Read a consent, as ours or as FHIR' })
  async get(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    if (!accept?.includes(FHIR_JSON)) return this.consents.get(principal, id);
    void reply.type(FHIR_JSON);
    return exportSdohccConsent(await this.consents.record(principal, id), this.clock.now());
  }

  @Get('clients/:id/consents')
  @ApiOkResponse({ type: [ConsentResponse], description: 'The client’s consents the caller may see' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'List a client’s consents' })
  listForClient(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string) {
    return this.consents.listForClient(principal, id);
  }

  @Post('consents/:id/revoke')
  @HttpCode(200)
  @Roles(...ACTORS)
  @ApiOkResponse({ type: ConsentResponse, description: 'The consent, revoked entirely or for one recipient; consent.v1.revoked goes out' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Revoke a consent, or one recipient of it' })
  revoke(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: RevokeConsentDto) {
    return this.consents.revoke(principal, id, body.organizationId);
  }
}
