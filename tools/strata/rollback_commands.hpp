// The rollback commands of the CLI: tag, tags, rollback, undo (README: Rollback).
#pragma once

#include <vector>

#include "cli.hpp"

namespace strata::cli {

// Appended to the command table by Commands().
std::vector<Command> RollbackCommands();

}  // namespace strata::cli
