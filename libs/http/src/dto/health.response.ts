import { ApiProperty } from '@nestjs/swagger';

export type ComponentState = 'up' | 'down';

export class HealthComponents {
  @ApiProperty({ enum: ['up', 'down'] }) database!: ComponentState;
  @ApiProperty({ enum: ['up', 'down'] }) nats!: ComponentState;
}

export class HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'] }) status!: 'ok' | 'error';
  @ApiProperty({ example: 'referral' }) service!: string;
  @ApiProperty({ type: HealthComponents }) components!: HealthComponents;
}
