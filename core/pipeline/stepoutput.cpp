// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "stepoutput.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace brieflow {

namespace {

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject objectOf(const QByteArray &payload)
{
    return QJsonDocument::fromJson(payload).object();
}

QJsonObject imageJson(const OutputRecord &image, bool withId)
{
    QJsonObject o{{QStringLiteral("path"), image.filePath},
                  {QStringLiteral("sha256"), image.sha256},
                  {QStringLiteral("mime"), image.mime},
                  {QStringLiteral("width"), image.width},
                  {QStringLiteral("height"), image.height}};
    if (withId)
        o.insert(QStringLiteral("output_id"), image.id.toString());
    return o;
}

} // namespace

QByteArray textStepOutput(const QString &text, bool edited)
{
    QJsonObject o{{QStringLiteral("text"), text}};
    if (edited)
        o.insert(QStringLiteral("edited"), true);
    return compact(o);
}

QString textOfStepOutput(const QByteArray &payload)
{
    return objectOf(payload).value(QStringLiteral("text")).toString();
}

QByteArray imageStepOutput(const QList<OutputRecord> &images)
{
    QJsonArray list;
    for (const OutputRecord &image : images)
        list.append(imageJson(image, true));
    return compact({{QStringLiteral("images"), list}});
}

QList<OutputId> outputIdsOfStepOutput(const QByteArray &payload)
{
    QList<OutputId> ids;
    const QJsonArray list = objectOf(payload).value(QStringLiteral("images")).toArray();
    for (const QJsonValue &v : list) {
        const QString id = v.toObject().value(QStringLiteral("output_id")).toString();
        if (!id.isEmpty())
            ids << OutputId(id);
    }
    return ids;
}

QByteArray jobOutput(const QList<QPair<QString, QString>> &texts, const QList<OutputRecord> &images)
{
    QJsonObject textObject;
    for (const auto &[step, text] : texts)
        textObject.insert(step, text);
    QJsonArray list;
    for (const OutputRecord &image : images)
        list.append(imageJson(image, false));
    return compact({{QStringLiteral("texts"), textObject}, {QStringLiteral("images"), list}});
}

} // namespace brieflow
