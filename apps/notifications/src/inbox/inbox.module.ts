import { Module } from '@nestjs/common';
import { InboxController } from './inbox.controller';
import { InboxRepository } from './inbox.repository';
import { InboxService } from './inbox.service';

/** The in-app notification list (`/v1/notifications`). */
@Module({
  controllers: [InboxController],
  providers: [InboxRepository, InboxService],
  exports: [InboxRepository],
})
export class InboxModule {}
