// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>

#include <QString>
#include <QtGlobal>

#include "core/log/jsonlinelog.h"
#include "core/store/records.h"

class QMessageLogContext;

namespace brieflow {

/**
 * The process's structured log: one JsonLineLog that every committed job event (through
 * JobStore's event sink) and the Qt messages worth keeping reach. Qt messages logged: warnings,
 * criticals and fatals of any category, and info of the brieflow.* categories, as kind "log"
 * with their category; the previous message handler still gets every message, so stderr is
 * unchanged. Everything is redacted on the way (redactSecrets()). Thread-safe.
 */
class ProcessLog {
public:
    /** Makes @p log the process's log (replacing any earlier one) and installs the Qt message
     *  handler and the JobStore event sink. */
    static void install(std::shared_ptr<JsonLineLog> log);
    /** Removes the log, the event sink and the message handler (the previous one is back). */
    static void uninstall();
    /** The installed log, or null. */
    static std::shared_ptr<JsonLineLog> current();
    /** Writes @p entry to the installed log; nothing when there is none. */
    static void write(const LogEntry &entry);

    /** The line a job event becomes: its kind, job, step (the name, else the id), the attempt
     *  from its data ("attempt"), level warning for failures, incidents and stuck steps. */
    static LogEntry entryForEvent(const EventRecord &event, const QString &stepName);
    /** Whether a Qt message of @p type in @p category is written to the log. */
    static bool logsMessage(QtMsgType type, const char *category);
    /** The line a Qt message becomes (kind "log"). */
    static LogEntry entryForMessage(QtMsgType type, const QMessageLogContext &context,
                                    const QString &message);
};

/**
 * RAII for a front end: opens the log in @p folder (see JsonLineLog::open()) and installs it as
 * the ProcessLog; uninstalls it again on destruction. When the log can't be opened nothing is
 * installed, the reason is in error() and a warning went to stderr: the app runs on without it.
 */
class ScopedProcessLog {
public:
    explicit ScopedProcessLog(const QString &folder);
    ScopedProcessLog(const QString &folder, const JsonLineLog::Options &options);
    ~ScopedProcessLog();
    ScopedProcessLog(const ScopedProcessLog &) = delete;
    ScopedProcessLog &operator=(const ScopedProcessLog &) = delete;

    /** The open log, or null when it could not be opened. */
    std::shared_ptr<JsonLineLog> log() const { return m_log; }
    const std::optional<LogError> &error() const { return m_error; }

private:
    std::shared_ptr<JsonLineLog> m_log;
    std::optional<LogError> m_error;
};

} // namespace brieflow
