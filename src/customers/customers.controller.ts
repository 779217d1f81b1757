import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/caller.decorator.js';
import { READERS, Roles, WORKERS } from '../auth/roles.decorator.js';
import { CaseIdParam } from '../cases/case.dto.js';
import { CustomerAuthorParams, CustomerIdParam, LinkAuthorBody, NoteBody, ProfileQuery } from './customer.dto.js';
import { CustomersService } from './customers.service.js';
import { NotesService } from './notes.service.js';

@ApiTags('customers')
@ApiBearerAuth()
@Controller()
export class CustomersController {
  constructor(
    private readonly customers: CustomersService,
    private readonly notes: NotesService,
  ) {}

  @Get('customers/:id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'A customer across channels: authors, posts, cases, the failures before the current case, notes and compensation given' })
  profile(@Param() { id }: CustomerIdParam, @Query() query: ProfileQuery, @CurrentCaller() caller: Caller) {
    return this.customers.profile(caller, id, query.caseId);
  }

  @Get('customers/:id/suggestions')
  @Roles(...READERS)
  @ApiOperation({ summary: "Authors whose handle has the same local name as one of the customer's, to link by hand" })
  suggestions(@Param() { id }: CustomerIdParam, @CurrentCaller() caller: Caller) {
    return this.customers.suggestions(caller, id);
  }

  @Post('customers/:id/authors')
  @Roles(...WORKERS)
  @ApiOperation({ summary: "Link an author to the customer; the author's cases move with it" })
  link(@Param() { id }: CustomerIdParam, @Body() body: LinkAuthorBody, @CurrentCaller() caller: Caller) {
    return this.customers.link(caller, id, body.authorId);
  }

  @Delete('customers/:id/authors/:authorId')
  @Roles(...WORKERS)
  @ApiOperation({ summary: 'Unlink an author: it and its cases go to a customer of their own' })
  unlink(@Param() { id, authorId }: CustomerAuthorParams, @CurrentCaller() caller: Caller) {
    return this.customers.unlink(caller, id, authorId);
  }

  @Post('customers/:id/notes')
  @Roles(...WORKERS)
  @ApiOperation({ summary: 'A note on the customer, for colleagues; plain text' })
  noteOnCustomer(@Param() { id }: CustomerIdParam, @Body() body: NoteBody, @CurrentCaller() caller: Caller) {
    return this.notes.addToCustomer(caller, id, body.text);
  }

  @Post('cases/:id/notes')
  @Roles(...WORKERS)
  @ApiOperation({ summary: 'A note on the case, for colleagues; plain text' })
  noteOnCase(@Param() { id }: CaseIdParam, @Body() body: NoteBody, @CurrentCaller() caller: Caller) {
    return this.notes.addToCase(caller, id, body.text);
  }
}
