// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>
#include <QUrl>

#include "core/paths.h"

namespace brieflow::cli {

/** The process exit codes, as --help lists them. */
enum ExitCode : int {
    Success = 0,
    JobFailed = 1, ///< a job failed, was canceled or needs attention (or --wait was interrupted),
                   ///< or an export failed or was canceled
    UsageOrInvalid = 2,
    DataUnavailable = 3, ///< the data folder or the job database can't be used
};

/** What every command gets: the global options, already parsed. */
struct Context {
    Paths paths;
    bool json = false;
    bool demo = false; ///< --demo: demo data folder and the sandbox in-process
    QUrl apiBase;      ///< --api-base; empty: Replicate's API
};

/** Parses @p arguments (argv, program name first), runs the command, returns the exit code. */
int run(const QStringList &arguments);

// The commands; each parses its own arguments (command name first).
int validateCommand(const Context &context, const QStringList &arguments);
int submitCommand(const Context &context, const QStringList &arguments);
int listCommand(const Context &context, const QStringList &arguments);
int showCommand(const Context &context, const QStringList &arguments);
int sandboxCommand(const Context &context, const QStringList &arguments);
int runCommand(const Context &context, const QStringList &arguments);
int workerCommand(const Context &context, const QStringList &arguments);
int retryCommand(const Context &context, const QStringList &arguments);
int cancelCommand(const Context &context, const QStringList &arguments);
int stuckCommand(const Context &context, const QStringList &arguments);
int keepWaitingCommand(const Context &context, const QStringList &arguments);
int exportCommand(const Context &context, const QStringList &arguments);
int recallCommand(const Context &context, const QStringList &arguments);
int statsCommand(const Context &context, const QStringList &arguments);

/** True when @p arguments (argv, program name first) run the export command: it alone needs a
 *  QGuiApplication (fonts for PDF sheets); every other command runs on a QCoreApplication. */
bool needsGuiApplication(const QStringList &arguments);

} // namespace brieflow::cli
