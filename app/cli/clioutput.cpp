// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/clioutput.h"

#include <cstdio>

#include <QCommandLineParser>
#include <QJsonDocument>

#include "app/cli/cli.h"
#include "core/app/jobsubmission.h"

namespace brieflow::cli {

void out(const QString &line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
}

void err(const QString &line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stderr);
}

void outJson(const QJsonObject &value)
{
    const QByteArray bytes = QJsonDocument(value).toJson(QJsonDocument::Indented);
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
}

void outJson(const QJsonArray &value)
{
    const QByteArray bytes = QJsonDocument(value).toJson(QJsonDocument::Indented);
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
}

int fail(int code, const QString &message)
{
    err(QStringLiteral("brieflow-cli: ") + message);
    return code;
}

std::optional<int> parseCommand(QCommandLineParser &parser, const QStringList &arguments,
                                const QString &usage)
{
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    parser.addOption(help);
    // The command's arguments without the program name: prepend one for QCommandLineParser.
    QStringList args = arguments;
    args.prepend(QStringLiteral("brieflow-cli"));
    if (!parser.parse(args))
        return fail(UsageOrInvalid, parser.errorText() + QStringLiteral("\nusage: ") + usage);
    if (parser.isSet(help)) {
        out(QStringLiteral("usage: ") + usage);
        QString text = parser.helpText();
        // Drop Qt's own "Usage:" line; ours is above.
        text = text.mid(text.indexOf(QLatin1Char('\n')) + 1);
        out(text.trimmed());
        return Success;
    }
    return std::nullopt;
}

QJsonArray issuesToJson(const BriefIssues &issues)
{
    QJsonArray array;
    for (const BriefIssue &issue : issues)
        array.append(QJsonObject{{QStringLiteral("field"), issue.field},
                                 {QStringLiteral("message"), issue.message}});
    return array;
}

QString formatTime(const QDateTime &time)
{
    if (!time.isValid())
        return QStringLiteral("—");
    return time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QJsonObject jobToJson(const JobRecord &job)
{
    QJsonObject object{
        {QStringLiteral("id"), job.id.toString()},
        {QStringLiteral("workflow"), job.workflowType},
        {QStringLiteral("status"), toString(job.status)},
        {QStringLiteral("current_step"), job.currentStep},
        {QStringLiteral("queue_position"), job.queuePosition},
        {QStringLiteral("created_at"), job.createdAt.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("updated_at"), job.updatedAt.toUTC().toString(Qt::ISODateWithMs)},
    };
    const auto brief = briefOfJob(job);
    object.insert(QStringLiteral("product_name"),
                  brief ? QJsonValue(brief->productName) : QJsonValue(QJsonValue::Null));
    const auto orNull = [](const QString &text) {
        return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
    };
    object.insert(QStringLiteral("current_step"), orNull(job.currentStep));
    object.insert(QStringLiteral("error_type"), orNull(job.errorType));
    object.insert(QStringLiteral("error_message"), orNull(job.errorMessage));
    return object;
}

} // namespace brieflow::cli
