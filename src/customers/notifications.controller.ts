import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/caller.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { NotificationIdParam, NotificationsQuery } from './customer.dto.js';
import { NotificationsService } from './notifications.service.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Roles('manager', 'admin')
  @ApiOperation({ summary: "The brand managers' notifications, newest first, with the unread count" })
  list(@Query() query: NotificationsQuery, @CurrentCaller() caller: Caller) {
    return this.notifications.list(caller, query);
  }

  @Post(':id/read')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Mark a notification read, for the whole team it went to' })
  read(@Param() { id }: NotificationIdParam, @CurrentCaller() caller: Caller) {
    return this.notifications.markRead(caller, id);
  }
}
