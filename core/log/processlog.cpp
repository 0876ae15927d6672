// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/processlog.h"

#include <atomic>
#include <cstdio>
#include <cstring>

#include <QMutex>

#include <nlohmann/json.hpp>

#include "core/logging.h"
#include "core/store/jobstore.h"

namespace brieflow {

namespace {

QMutex installMutex;
std::shared_ptr<JsonLineLog> installedLog; // guarded by installMutex
bool handlerInstalled = false;             // guarded by installMutex
std::atomic<QtMessageHandler> previousHandler{nullptr};

// Set while this thread writes a line: a Qt message raised by the writing itself (QFile warns)
// is passed on to stderr but not written again, which would deadlock on the log's mutex.
thread_local bool writingLine = false;

void messageHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (!writingLine && ProcessLog::logsMessage(type, context.category))
        ProcessLog::write(ProcessLog::entryForMessage(type, context, message));
    if (const QtMessageHandler previous = previousHandler.load())
        previous(type, context, message);
    else
        std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, message)));
}

bool isTrouble(const QString &kind)
{
    for (const char *word : {"fail", "error", "incident", "rejected"}) {
        if (kind.contains(QLatin1String(word)))
            return true;
    }
    return kind == QLatin1String("stuck") || kind == QLatin1String("needs_attention");
}

int attemptFrom(const QByteArray &data)
{
    if (!data.contains("\"attempt\""))
        return 0;
    const auto json = nlohmann::json::parse(data.constBegin(), data.constEnd(), nullptr, false);
    if (!json.is_object())
        return 0;
    const auto it = json.find("attempt");
    if (it == json.end() || !it->is_number_integer())
        return 0;
    const auto attempt = it->get<long long>();
    return attempt > 0 && attempt < 1'000'000 ? int(attempt) : 0;
}

} // namespace

void ProcessLog::install(std::shared_ptr<JsonLineLog> log)
{
    {
        const QMutexLocker lock(&installMutex);
        installedLog = std::move(log);
        if (!handlerInstalled) {
            previousHandler.store(qInstallMessageHandler(messageHandler));
            handlerInstalled = true;
        }
    }
    JobStore::setEventSink([](const EventRecord &event, const QString &stepName) {
        write(entryForEvent(event, stepName));
    });
}

void ProcessLog::uninstall()
{
    JobStore::setEventSink({});
    const QMutexLocker lock(&installMutex);
    installedLog.reset();
    if (!handlerInstalled)
        return;
    const QtMessageHandler current = qInstallMessageHandler(previousHandler.load());
    if (current != messageHandler) {
        // Someone installed a handler over ours, and it chains to ours: leave it in place (ours
        // passes everything on and writes nothing without a log).
        qInstallMessageHandler(current);
        return;
    }
    handlerInstalled = false;
}

std::shared_ptr<JsonLineLog> ProcessLog::current()
{
    const QMutexLocker lock(&installMutex);
    return installedLog;
}

void ProcessLog::write(const LogEntry &entry)
{
    if (writingLine)
        return;
    if (const auto log = current()) {
        writingLine = true;
        log->write(entry);
        writingLine = false;
    }
}

LogEntry ProcessLog::entryForEvent(const EventRecord &event, const QString &stepName)
{
    LogEntry entry;
    entry.time = event.time;
    entry.level = isTrouble(event.kind) ? LogLevel::Warning : LogLevel::Info;
    entry.kind = event.kind;
    entry.job = event.jobId.toString();
    if (!event.stepId.isNull()) {
        entry.stepId = event.stepId.toString();
        entry.step = stepName.isEmpty() ? entry.stepId : stepName;
    }
    entry.attempt = attemptFrom(event.data);
    entry.message = event.message;
    return entry;
}

bool ProcessLog::logsMessage(QtMsgType type, const char *category)
{
    switch (type) {
    case QtWarningMsg:
    case QtCriticalMsg:
    case QtFatalMsg:
        return true;
    case QtInfoMsg:
        return category != nullptr
               && (std::strncmp(category, "brieflow.", 9) == 0
                   || std::strcmp(category, "brieflow") == 0);
    case QtDebugMsg:
        break;
    }
    return false;
}

LogEntry ProcessLog::entryForMessage(QtMsgType type, const QMessageLogContext &context,
                                     const QString &message)
{
    LogEntry entry;
    switch (type) {
    case QtDebugMsg:
        entry.level = LogLevel::Debug;
        break;
    case QtInfoMsg:
        entry.level = LogLevel::Info;
        break;
    case QtWarningMsg:
        entry.level = LogLevel::Warning;
        break;
    case QtCriticalMsg:
        entry.level = LogLevel::Critical;
        break;
    case QtFatalMsg:
        entry.level = LogLevel::Fatal;
        break;
    }
    entry.kind = QStringLiteral("log");
    entry.category =
        context.category ? QString::fromUtf8(context.category) : QStringLiteral("default");
    entry.message = message;
    return entry;
}

ScopedProcessLog::ScopedProcessLog(const QString &folder)
    : ScopedProcessLog(folder, JsonLineLog::Options{})
{}

ScopedProcessLog::ScopedProcessLog(const QString &folder, const JsonLineLog::Options &options)
{
    auto opened = JsonLineLog::open(folder, options);
    if (!opened) {
        m_error = opened.error();
        qCWarning(lcLog).noquote()
            << "the log can't be written:" << m_error->path << m_error->message;
        return;
    }
    m_log = std::move(opened).value();
    ProcessLog::install(m_log);
}

ScopedProcessLog::~ScopedProcessLog()
{
    if (m_log && ProcessLog::current() == m_log)
        ProcessLog::uninstall();
}

} // namespace brieflow
