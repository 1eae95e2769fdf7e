import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PARTNER_EVENT_TYPES } from '@nwd/contracts';

export class WebhookEndpointResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: PARTNER_EVENT_TYPES, isArray: true }) events!: string[];
  @ApiProperty({ enum: ['active', 'disabled'] }) status!: 'active' | 'disabled';
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Why the endpoint was disabled' }) disabledReason!: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'Until when the rotated-out secret still signs beside the current one' })
  previousSecretExpiresAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class WebhookEndpointWithSecretResponse extends WebhookEndpointResponse {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'The signing secret, shown only now (Standard Webhooks form)' })
  secret!: string;
}

export class WebhookEndpointListResponse {
  @ApiProperty({ type: [WebhookEndpointResponse] }) items!: WebhookEndpointResponse[];
}

export class DeliveryAttemptResponse {
  @ApiProperty({ format: 'date-time' }) attemptedAt!: string;
  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'The receiver’s HTTP status; null when none came back' }) statusCode!: number | null;
  @ApiProperty({ type: 'integer' }) durationMs!: number;
  @ApiPropertyOptional({ type: String, nullable: true }) error!: string | null;
}

export class WebhookDeliveryResponse {
  @ApiProperty({ format: 'uuid', description: 'Also the `webhook-id` header of every try' }) id!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ enum: PARTNER_EVENT_TYPES }) eventType!: string;
  @ApiProperty({ format: 'uuid' }) referralId!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status!: 'pending' | 'delivered' | 'failed';
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) nextAttemptAt!: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) deliveredAt!: string | null;
  @ApiPropertyOptional({ type: 'integer', nullable: true }) lastStatusCode!: number | null;
  @ApiPropertyOptional({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: [DeliveryAttemptResponse], description: 'Every try, oldest first' }) log!: DeliveryAttemptResponse[];
}

export class WebhookDeliveryListResponse {
  @ApiProperty({ type: [WebhookDeliveryResponse] }) items!: WebhookDeliveryResponse[];
}

export class ReplayResponse {
  @ApiProperty({ type: 'integer', description: 'Deliveries of events in the range now waiting to be sent' }) queued!: number;
}
