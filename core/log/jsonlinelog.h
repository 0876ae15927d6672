// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <memory>

#include <QByteArray>
#include <QDateTime>
#include <QMutex>
#include <QString>

#include "core/util/result.h"

class QFile;

namespace brieflow {

/** How serious a log line is; written as its lower-case name. */
enum class LogLevel { Debug, Info, Warning, Critical, Fatal };

/** "debug", "info", "warning", "critical" or "fatal". */
QString logLevelName(LogLevel level);

/** One line of the log. Empty strings and a zero attempt are written as JSON null. */
struct LogEntry {
    QDateTime time; ///< null: the time of writing
    LogLevel level = LogLevel::Info;
    QString kind;     ///< a job event's kind, or "log" for a Qt message
    QString job;      ///< the job id
    QString step;     ///< the step's name (or its id when the name isn't known)
    QString stepId;   ///< the step's id, when known
    int attempt = 0;  ///< the attempt the event belongs to, 1-based; 0 when none
    QString message;  ///< redacted before it is written (redactSecrets())
    QString category; ///< a Qt message's logging category; only written when set
};

/** Why the log could not be opened. */
struct LogError {
    enum class Kind {
        CreateFolder, ///< the log folder could not be created
        OpenFile,     ///< brieflow.jsonl could not be opened for appending
    };
    Kind kind = Kind::OpenFile;
    QString path;    ///< the folder or file concerned
    QString message; ///< the system's reason, for the user and the stderr log
};

/**
 * The structured log: one JSON object per line (JSON Lines) in `brieflow.jsonl` in the log
 * folder, with the fields time (ISO 8601 UTC with milliseconds), level, kind, job, step,
 * step_id, attempt, message, pid, and category for Qt messages.
 *
 * Each line is appended with one unbuffered write, so a crash loses at most the line being
 * written, and several processes sharing a data folder (the app and a CLI worker) interleave
 * whole lines. When the next line would take the file past maxBytes it is rotated first:
 * brieflow.jsonl becomes brieflow.1.jsonl, .1 becomes .2 and so on, and the oldest beyond
 * keepFiles is deleted. A file rotated away by another process is noticed and reopened.
 *
 * Writing never throws, never blocks on anything but the file, and never emits Qt messages
 * (the log is itself a Qt message handler's target): a failed write (a full disk) or rotation
 * is counted, remembered in lastFailure(), and the next line is tried again. A line cut by a
 * failed write is ended by a line break before the next line, so it stays alone on its line.
 * Thread-safe.
 */
class JsonLineLog {
public:
    struct Options {
        qint64 maxBytes = 5 * 1024 * 1024; ///< rotate before a line would pass this size
        int keepFiles = 5;                 ///< older files kept: brieflow.1.jsonl … .N.jsonl
        /** Create the folder and file at the first line instead of in open(): a command that
         *  has nothing to say leaves nothing on disk. Open failures are then counted as write
         *  failures instead of returned. */
        bool createOnFirstWrite = false;
    };

    /** Opens (creating the folder and file if needed) the log in @p folder. */
    static Result<std::shared_ptr<JsonLineLog>, LogError> open(const QString &folder,
                                                               const Options &options);
    static Result<std::shared_ptr<JsonLineLog>, LogError> open(const QString &folder)
    {
        return open(folder, Options{});
    }
    ~JsonLineLog();
    JsonLineLog(const JsonLineLog &) = delete;
    JsonLineLog &operator=(const JsonLineLog &) = delete;

    /** The name of the current file in the log folder. */
    static QString currentFileName() { return QStringLiteral("brieflow.jsonl"); }
    /** The name of the @p n-th older file (1 is the newest of them): brieflow.N.jsonl. */
    static QString rotatedFileName(int n);

    QString folder() const { return m_folder; }
    QString filePath() const;
    const Options &options() const { return m_options; }

    /** Appends @p entry as one line. Never throws; a failure is counted. */
    void write(const LogEntry &entry);

    /** The line write() appends for @p entry (with its final '\n'), message redacted. */
    static QByteArray formatLine(const LogEntry &entry);

    quint64 linesWritten() const { return m_lines.load(); }
    /** Lines that could not be written (whole or in part), open failures included. */
    quint64 writeFailures() const { return m_writeFailures.load(); }
    /** Rotations that failed (the file then grows past maxBytes until one succeeds). */
    quint64 rotationFailures() const { return m_rotationFailures.load(); }
    quint64 rotations() const { return m_rotations.load(); }
    /** The system's reason for the last failure; empty when there was none. */
    QString lastFailure() const;

private:
    JsonLineLog(QString folder, const Options &options);
    // All below with m_mutex held.
    bool ensureOpen();
    void rotateIfNeeded(qint64 lineSize);
    bool rotatedAway() const;
    void noteFailure(const QString &reason);

    const QString m_folder;
    const Options m_options;
    mutable QMutex m_mutex;
    std::unique_ptr<QFile> m_file;
    bool m_lineCut = false; ///< the last write failed part-way: start the next with '\n'
    QString m_lastFailure;
    std::atomic<quint64> m_lines{0};
    std::atomic<quint64> m_writeFailures{0};
    std::atomic<quint64> m_rotationFailures{0};
    std::atomic<quint64> m_rotations{0};
};

} // namespace brieflow
