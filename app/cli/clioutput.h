// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include "core/brief/brief.h"
#include "core/store/records.h"

class QCommandLineParser;

namespace brieflow::cli {

/** Writes one line (a newline is added) to standard output / standard error, UTF-8. */
void out(const QString &line);
void err(const QString &line);
/** Writes @p value as indented JSON to standard output. */
void outJson(const QJsonObject &value);
void outJson(const QJsonArray &value);

/** "brieflow-cli: <message>" on standard error; returns @p code for `return usage(...)`. */
int fail(int code, const QString &message);

/**
 * Parses a command's own arguments (@p arguments starts with the command name). On a parse error
 * or --help it prints what is needed and returns the exit code to use; otherwise std::nullopt.
 */
std::optional<int> parseCommand(QCommandLineParser &parser, const QStringList &arguments,
                                const QString &usage);

QJsonArray issuesToJson(const BriefIssues &issues);
QJsonObject jobToJson(const JobRecord &job);
QString formatTime(const QDateTime &time);

} // namespace brieflow::cli
