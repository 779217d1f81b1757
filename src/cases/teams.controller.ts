import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/caller.decorator.js';
import { MANAGERS, READERS, Roles } from '../auth/roles.decorator.js';

import { CreateTeamBody, TeamIdParam, TeamMemberBody, TeamMemberParam, TeamsQuery } from './team.dto.js';
import { TeamsService } from './teams.service.js';

@ApiTags('teams')
@ApiBearerAuth()
@Controller('teams')
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: "The brands' teams with their members" })
  list(@Query() { brand }: TeamsQuery, @CurrentCaller() caller: Caller) {
    return this.teams.list(caller, brand);
  }

  @Post()
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Make a team of a brand: cases can be handed to it' })
  create(@Body() body: CreateTeamBody, @CurrentCaller() caller: Caller) {
    return this.teams.create(caller, body);
  }

  @Post(':id/members')
  @HttpCode(200)
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Add a member to the team, by the name cases are claimed with' })
  addMember(@Param() { id }: TeamIdParam, @Body() { name }: TeamMemberBody, @CurrentCaller() caller: Caller) {
    return this.teams.addMember(caller, id, name);
  }

  @Delete(':id/members/:member')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Take a member off the team' })
  removeMember(@Param() { id, member }: TeamMemberParam, @CurrentCaller() caller: Caller) {
    return this.teams.removeMember(caller, id, member);
  }
}
