// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QtGlobal>

namespace brieflow::sandbox {

enum class ModelKind { Text, Image };

/** One model the sandbox can run, with the ids Replicate would report for it. */
struct SandboxModel {
    QString owner;
    QString name;
    ModelKind kind = ModelKind::Text;
    QString description;
    QString versionId;            ///< 64 hex digits
    QString versionCreatedAt;     ///< ISO-8601
    QString modelEndpointVersion; ///< "version" of a create by model name ("dp-…" for the LLM)
    QString internalName;         ///< the "model" field under Quirks::internalModelNames
    QByteArray openApiSchema;     ///< Cog's OpenAPI document, compact JSON
    bool supportsStreaming = false;

    QString fullName() const { return owner + QLatin1Char('/') + name; }
};

/** A deployment: a name that runs one model. */
struct SandboxDeployment {
    QString owner;
    QString name;
    const SandboxModel *model = nullptr;

    QString fullName() const { return owner + QLatin1Char('/') + name; }
};

/**
 * The models the sandbox serves: meta/meta-llama-3-8b-instruct (text, streams tokens) and
 * black-forest-labs/flux-schnell (images), both official models runnable by name, plus the
 * deployment brieflow/demo-images running flux-schnell. Their Cog schemas mirror the real
 * models' inputs and drive input validation. Immutable after construction.
 */
class ModelCatalog {
    Q_DISABLE_COPY_MOVE(ModelCatalog)

public:
    ModelCatalog();

    static QString textModelName() { return QStringLiteral("meta/meta-llama-3-8b-instruct"); }
    static QString imageModelName() { return QStringLiteral("black-forest-labs/flux-schnell"); }

    QList<const SandboxModel *> models() const;
    const SandboxModel *model(const QString &owner, const QString &name) const;
    const SandboxModel *modelByFullName(const QString &fullName) const;
    const SandboxModel *modelByVersion(const QString &versionId) const;
    const SandboxDeployment *deployment(const QString &owner, const QString &name) const;

    /** GET /v1/models/{owner}/{name}; @p origin is "http://127.0.0.1:PORT". */
    static QByteArray modelJson(const SandboxModel &model, int runCount, const QString &origin);
    /** GET /v1/models/{owner}/{name}/versions/{id} */
    static QByteArray versionJson(const SandboxModel &model);
    /** GET /v1/deployments/{owner}/{name} */
    static QByteArray deploymentJson(const SandboxDeployment &deployment);

private:
    QList<SandboxModel> m_models;
    QList<SandboxDeployment> m_deployments;
};

} // namespace brieflow::sandbox
