// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/jsonlinelog.h"

#include <string>

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <nlohmann/json.hpp>

#include "core/log/redaction.h"

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

namespace brieflow {

namespace {

constexpr QFileDevice::Permissions ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

std::string utf8(const QString &text)
{
    return text.toStdString();
}

nlohmann::ordered_json textOrNull(const QString &text)
{
    if (text.isEmpty())
        return nullptr;
    return utf8(text);
}

} // namespace

QString logLevelName(LogLevel level)
{
    switch (level) {
    case LogLevel::Debug:
        return QStringLiteral("debug");
    case LogLevel::Info:
        return QStringLiteral("info");
    case LogLevel::Warning:
        return QStringLiteral("warning");
    case LogLevel::Critical:
        return QStringLiteral("critical");
    case LogLevel::Fatal:
        return QStringLiteral("fatal");
    }
    return QStringLiteral("info");
}

JsonLineLog::JsonLineLog(QString folder, const Options &options)
    : m_folder(std::move(folder))
    , m_options(options)
{}

JsonLineLog::~JsonLineLog() = default;

Result<std::shared_ptr<JsonLineLog>, LogError> JsonLineLog::open(const QString &folder,
                                                                 const Options &options)
{
    std::shared_ptr<JsonLineLog> log(new JsonLineLog(QDir::cleanPath(folder), options));
    if (options.createOnFirstWrite)
        return log;
    if (!QDir().mkpath(log->m_folder))
        return fail(LogError{LogError::Kind::CreateFolder, log->m_folder,
                             QStringLiteral("could not create the folder")});
    const QMutexLocker lock(&log->m_mutex);
    if (!log->ensureOpen())
        return fail(LogError{LogError::Kind::OpenFile, log->filePath(), log->m_lastFailure});
    return log;
}

QString JsonLineLog::rotatedFileName(int n)
{
    return QStringLiteral("brieflow.%1.jsonl").arg(n);
}

QString JsonLineLog::filePath() const
{
    return m_folder + QLatin1Char('/') + currentFileName();
}

QString JsonLineLog::lastFailure() const
{
    const QMutexLocker lock(&m_mutex);
    return m_lastFailure;
}

QByteArray JsonLineLog::formatLine(const LogEntry &entry)
{
    static const qint64 pid = QCoreApplication::applicationPid();
    const QDateTime time = entry.time.isValid() ? entry.time : QDateTime::currentDateTimeUtc();
    nlohmann::ordered_json line;
    line["time"] = utf8(time.toUTC().toString(Qt::ISODateWithMs));
    line["level"] = utf8(logLevelName(entry.level));
    line["kind"] = textOrNull(entry.kind);
    line["job"] = textOrNull(entry.job);
    line["step"] = textOrNull(entry.step);
    line["step_id"] = textOrNull(entry.stepId);
    if (entry.attempt > 0)
        line["attempt"] = entry.attempt;
    else
        line["attempt"] = nullptr;
    line["message"] = utf8(redactSecrets(entry.message));
    if (!entry.category.isEmpty())
        line["category"] = utf8(entry.category);
    line["pid"] = pid;
    // Replace, never throw: a message with broken UTF-8 still makes a line.
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    QByteArray bytes(text.data(), qsizetype(text.size()));
    bytes.append('\n');
    return bytes;
}

void JsonLineLog::write(const LogEntry &entry)
{
    QByteArray line = formatLine(entry);
    const QMutexLocker lock(&m_mutex);
    if (m_file && rotatedAway())
        m_file.reset(); // another process rotated it: follow the name
    if (!ensureOpen()) {
        ++m_writeFailures;
        return;
    }
    rotateIfNeeded(line.size());
    if (!ensureOpen()) {
        ++m_writeFailures;
        return;
    }
    if (m_lineCut && !m_file->isSequential()) {
        // Did the failed write leave a partial line? Then end it, so this one stands alone.
        QFile reader(filePath());
        const qint64 size = m_file->size();
        if (size > 0 && reader.open(QIODevice::ReadOnly) && !reader.isSequential()
            && reader.seek(size - 1) && reader.read(1) != QByteArrayLiteral("\n"))
            line.prepend('\n');
    }
    m_file->unsetError();
    const qint64 written = m_file->write(line);
    if (written != line.size()) {
        ++m_writeFailures;
        m_lineCut = true;
        noteFailure(m_file->errorString());
        return;
    }
    m_lineCut = false;
    ++m_lines;
}

bool JsonLineLog::ensureOpen()
{
    if (m_file && m_file->isOpen())
        return true;
    if (!QDir().mkpath(m_folder)) {
        noteFailure(QStringLiteral("could not create the folder %1").arg(m_folder));
        return false;
    }
    auto file = std::make_unique<QFile>(filePath());
    // Unbuffered: every write() is a write(2) of the whole line, appended (O_APPEND).
    if (!file->open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered, ownerOnly)) {
        noteFailure(file->errorString());
        return false;
    }
    m_file = std::move(file);
    return true;
}

bool JsonLineLog::rotatedAway() const
{
#ifdef Q_OS_UNIX
    struct stat opened {};
    struct stat named {};
    if (::fstat(m_file->handle(), &opened) != 0)
        return false;
    if (::stat(QFile::encodeName(filePath()).constData(), &named) != 0)
        return true;
    return opened.st_ino != named.st_ino || opened.st_dev != named.st_dev;
#else
    return !QFile::exists(filePath());
#endif
}

void JsonLineLog::rotateIfNeeded(qint64 lineSize)
{
    const qint64 size = m_file->size();
    if (size <= 0 || size + lineSize <= m_options.maxBytes)
        return;
    m_file.reset();
    QDir dir(m_folder);
    bool ok = true;
    QString reason;
    const auto moveOver = [&](const QString &from, const QString &to) {
        if (!dir.exists(from))
            return;
        if (dir.exists(to) && !dir.remove(to)) {
            ok = false;
            reason = QStringLiteral("could not remove %1").arg(dir.filePath(to));
            return;
        }
        if (!dir.rename(from, to)) {
            ok = false;
            reason = QStringLiteral("could not rename %1 to %2").arg(dir.filePath(from), to);
        }
    };
    const int keep = qMax(0, m_options.keepFiles);
    if (keep == 0) {
        if (!dir.remove(currentFileName())) {
            ok = false;
            reason = QStringLiteral("could not remove %1").arg(filePath());
        }
    } else {
        if (dir.exists(rotatedFileName(keep)) && !dir.remove(rotatedFileName(keep))) {
            ok = false;
            reason = QStringLiteral("could not remove %1").arg(dir.filePath(rotatedFileName(keep)));
        }
        for (int n = keep - 1; ok && n >= 1; --n)
            moveOver(rotatedFileName(n), rotatedFileName(n + 1));
        if (ok)
            moveOver(currentFileName(), rotatedFileName(1));
    }
    if (ok) {
        ++m_rotations;
        m_lineCut = false; // a fresh file
    } else {
        ++m_rotationFailures; // the old file is reopened and grows on
        noteFailure(reason);
    }
}

void JsonLineLog::noteFailure(const QString &reason)
{
    m_lastFailure = reason;
}

} // namespace brieflow
