import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@nwd/auth';
import { UuidParam } from '@nwd/http';
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
import { ReferralsService } from './referrals.service';

/** Members' staff and systems act on referrals; a network admin may read them all but acts on none. */
const ACTORS = ['staff', 'system', 'org-admin'] as const;

@ApiTags('referrals')
@Controller('v1/referrals')
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Post()
  @Roles(...ACTORS)
  @ApiCreatedResponse({ description: 'The referral, requested, with its due dates' })
  @ApiUnprocessableEntityResponse({ description: 'The receiving organization is suspended, or the Idempotency-Key was used for another request' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateReferralDto, @IdempotentRoute() idempotency: IdempotentRequest) {
    return this.referrals.create(principal, body, idempotency);
  }

  @Get()
  @ApiOkResponse({ description: 'Referrals the caller’s organization sent, received or follows in a forward chain' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListReferralsQueryDto) {
    return this.referrals.list(principal, query);
  }

  @Get(':id')
  @ApiOkResponse({ description: 'The referral with its client, timeline and forward chain' })
  get(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string) {
    return this.referrals.get(principal, id);
  }

  @Post(':id/status')
  @HttpCode(200)
  @Roles(...ACTORS)
  @ApiConflictResponse({ description: 'Illegal transition (with the allowed ones) or stale version' })
  changeStatus(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: ChangeStatusDto, @IdempotentRoute() idempotency: IdempotentRequest) {
    return this.referrals.changeStatus(principal, id, body, idempotency);
  }

  @Post(':id/forward')
  @Roles(...ACTORS)
  @ApiCreatedResponse({ description: 'The new referral; the original is now rejected with reason forwarded' })
  forward(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: ForwardReferralDto, @IdempotentRoute() idempotency: IdempotentRequest) {
    return this.referrals.forward(principal, id, body, idempotency);
  }

  @Post(':id/notes')
  @Roles(...ACTORS)
  @ApiCreatedResponse({ description: 'The note as it appears in the timeline' })
  addNote(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: AddNoteDto, @IdempotentRoute() idempotency: IdempotentRequest) {
    return this.referrals.addNote(principal, id, body, idempotency);
  }

  @Post(':id/contact-attempts')
  @Roles(...ACTORS)
  @ApiCreatedResponse({ description: 'The attempt as it appears in the timeline' })
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
  @ApiCreatedResponse({ description: 'The referral, the breach now excused' })
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
  @ApiOkResponse({ description: 'The referral with its close-by due date' })
  recordOutcomeKnown(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: RecordOutcomeKnownDto,
    @IdempotentRoute() idempotency: IdempotentRequest,
  ) {
    return this.referrals.recordOutcomeKnown(principal, id, body, idempotency);
  }
}
