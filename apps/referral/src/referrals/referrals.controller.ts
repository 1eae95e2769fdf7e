import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@nwd/auth';
import { ApiProblems, UuidParam } from '@nwd/http';
import { IdempotentRequest } from '../idempotency/idempotency.store';
import { IdempotentRoute } from '../idempotency/idempotent-request.decorator';
import {
  AddExceptionNoteDto,
  AddNoteDto,
  ChangeStatusDto,
  CreateReferralDto,
  ForwardReferralDto,
  ListReferralsQueryDto,
  RecordContactAttemptDto,
  RecordOutcomeKnownDto,
} from './dto/referral.dto';
import {
  CreatedReferralResponse,
  ReferralDetailResponse,
  ReferralPageResponse,
  ReferralSummaryResponse,
  TimelineEntryResponse,
  WithheldTextResponse,
} from './dto/referral.response';
import { ReferralsService } from './referrals.service';

/** Members' staff and systems act on referrals; a network admin may read them all but acts on none. */
const ACTORS = ['staff', 'system', 'org-admin'] as const;

@ApiTags('referrals')
@ApiExtraModels(WithheldTextResponse)
@Controller('v1/referrals')
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Post()
  @Roles(...ACTORS)
  @ApiCreatedResponse({ type: CreatedReferralResponse, description: 'The referral, requested, with its due dates' })
  // 503: the client is registered and the consent decided in the consent service, which is down.
  @ApiProblems(404, 409, 503)
  @ApiUnprocessableEntityResponse({ description: 'The receiving organization is suspended, or the Idempotency-Key was used for another request' })
  @ApiOperation({ summary: 'Refer a client' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateReferralDto, @IdempotentRoute() idempotency: IdempotentRequest) {
    return this.referrals.create(principal, body, idempotency);
  }

  @Get()
  @ApiOkResponse({ type: ReferralPageResponse, description: 'Referrals the caller’s organization sent, received or follows in a forward chain' })
  @ApiOperation({ summary: 'List referrals' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListReferralsQueryDto) {
    return this.referrals.list(principal, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: ReferralDetailResponse, description: 'The referral with its client, timeline and forward chain' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Read a referral' })
  get(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string) {
    return this.referrals.get(principal, id);
  }

  @Post(':id/status')
  @HttpCode(200)
  @Roles(...ACTORS)
  @ApiOkResponse({ type: ReferralSummaryResponse, description: 'The referral in its new status' })
  @ApiConflictResponse({ description: 'Illegal transition (with the allowed ones) or stale version' })
  @ApiProblems(404, 422)
  @ApiOperation({ summary: 'Change a referral’s status' })
  changeStatus(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: ChangeStatusDto, @IdempotentRoute() idempotency: IdempotentRequest) {
    return this.referrals.changeStatus(principal, id, body, idempotency);
  }

  @Post(':id/forward')
  @Roles(...ACTORS)
  @ApiCreatedResponse({ type: CreatedReferralResponse, description: 'The new referral; the original is now rejected with reason forwarded' })
  @ApiProblems(404, 409, 422, 503)
  @ApiOperation({ summary: 'Forward a referral to another organization' })
  forward(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: ForwardReferralDto, @IdempotentRoute() idempotency: IdempotentRequest) {
    return this.referrals.forward(principal, id, body, idempotency);
  }

  @Post(':id/notes')
  @Roles(...ACTORS)
  @ApiCreatedResponse({ type: TimelineEntryResponse, description: 'The note as it appears in the timeline' })
  @ApiProblems(404, 409, 422)
  @ApiOperation({ summary: 'Add a note' })
  addNote(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: AddNoteDto, @IdempotentRoute() idempotency: IdempotentRequest) {
    return this.referrals.addNote(principal, id, body, idempotency);
  }

  @Post(':id/contact-attempts')
  @Roles(...ACTORS)
  @ApiCreatedResponse({ type: TimelineEntryResponse, description: 'The attempt as it appears in the timeline' })
  @ApiProblems(404, 409, 422)
  @ApiOperation({ summary: 'Record a contact attempt' })
  recordContactAttempt(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: RecordContactAttemptDto,
    @IdempotentRoute() idempotency: IdempotentRequest,
  ) {
    return this.referrals.recordContactAttempt(principal, id, body, idempotency);
  }

  @Post(':id/exceptions')
  @Roles(...ACTORS)
  @ApiCreatedResponse({ type: ReferralSummaryResponse, description: 'The referral, the breach now excused' })
  @ApiProblems(404, 409, 422)
  @ApiOperation({ summary: 'Excuse a missed standard' })
  addExceptionNote(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: AddExceptionNoteDto,
    @IdempotentRoute() idempotency: IdempotentRequest,
  ) {
    return this.referrals.addExceptionNote(principal, id, body, idempotency);
  }

  @Post(':id/outcome-known')
  @HttpCode(200)
  @Roles(...ACTORS)
  @ApiOkResponse({ type: ReferralSummaryResponse, description: 'The referral with its close-by due date' })
  @ApiProblems(404, 409, 422)
  @ApiOperation({ summary: 'Record that the outcome is known' })
  recordOutcomeKnown(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: RecordOutcomeKnownDto,
    @IdempotentRoute() idempotency: IdempotentRequest,
  ) {
    return this.referrals.recordOutcomeKnown(principal, id, body, idempotency);
  }
}
