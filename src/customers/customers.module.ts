import { Module } from '@nestjs/common';
import { CustomersController } from './customers.controller.js';
import { CustomersService } from './customers.service.js';
import { GoodwillController } from './goodwill.controller.js';
import { GoodwillService } from './goodwill.service.js';
import { NotesService } from './notes.service.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';

// The customer behind the cases. The case queue calls it at intake and for the case view, so it
// imports no case service: it reads and writes the case rows it owns a part of with SQL.
@Module({
  controllers: [CustomersController, NotificationsController, GoodwillController],
  providers: [CustomersService, NotesService, NotificationsService, GoodwillService],
  exports: [CustomersService, NotesService, NotificationsService, GoodwillService],
})
export class CustomersModule {}
