// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/shell/providerprobe.h"

#include <QSet>
#include <QTimer>

#include "core/replicate/replicateclient.h"

namespace brieflow::ui {

QString describeProviderProblem(const ProviderError &error)
{
    using Kind = ProviderError::Kind;
    switch (error.kind) {
    case Kind::Unauthenticated:
        return QObject::tr("Replicate didn't accept this API token. Check that you copied all of "
                           "it, or create a new one at replicate.com/account/api-tokens.");
    case Kind::InsufficientCredit:
        return QObject::tr("Your Replicate account is out of credit. Add credit on the billing "
                           "page.");
    case Kind::NotFound:
        return QObject::tr("Replicate doesn't know this model (or it is private to another "
                           "account).");
    case Kind::RateLimited:
        return QObject::tr("Replicate asked us to slow down; try again in a moment.");
    case Kind::Network:
        return QObject::tr("Can't reach Replicate. Check the internet connection (%1).")
            .arg(error.detail.isEmpty() ? error.describe() : error.detail);
    case Kind::Timeout:
        return QObject::tr("Replicate didn't answer in time. Try again in a moment.");
    case Kind::ServerError:
        return QObject::tr("Replicate had a problem of its own (HTTP %1). Try again in a moment.")
            .arg(error.httpStatus);
    case Kind::MalformedResponse:
        return QObject::tr("Replicate's answer couldn't be read.");
    case Kind::InvalidRequest:
    case Kind::InvalidInput:
    case Kind::HttpError:
    case Kind::OutcomeUnknown:
    case Kind::Canceled:
        break;
    }
    return QObject::tr("The request failed: %1").arg(error.describe());
}

QString schemaProblems(const ModelVersion &version, const QStringList &inputKeys, bool wantImages)
{
    if (!version.hasSchema)
        return {}; // nothing to check against; the provider will judge the input
    QStringList problems;
    QSet<QString> known;
    for (const InputProperty &input : version.inputs)
        known.insert(input.name);
    QStringList unknown;
    for (const QString &key : inputKeys) {
        if (!known.contains(key))
            unknown << key;
    }
    if (!unknown.isEmpty())
        problems << QObject::tr("It doesn't take the input(s) Brieflow sends: %1.")
                        .arg(unknown.join(QStringLiteral(", ")));
    QStringList missing;
    for (const InputProperty &input : version.inputs) {
        if (input.required && !input.defaultValue.isValid() && !inputKeys.contains(input.name))
            missing << input.name;
    }
    if (!missing.isEmpty())
        problems << QObject::tr("It needs input(s) Brieflow doesn't send: %1.")
                        .arg(missing.join(QStringLiteral(", ")));
    const bool files =
        version.output == OutputShape::File || version.output == OutputShape::FileList;
    const bool text =
        version.output == OutputShape::Text || version.output == OutputShape::TextTokens;
    if (wantImages && text)
        problems << QObject::tr("It answers with text, but this step needs images.");
    if (!wantImages && files)
        problems << QObject::tr("It answers with files, but this step needs text.");
    return problems.join(QLatin1Char(' '));
}

ProviderProbe::ProviderProbe(const QUrl &apiBase, QObject *parent)
    : QObject(parent)
    , m_apiBase(apiBase)
{}

ProviderProbe::~ProviderProbe() = default;

replicate::ReplicateClient *ProviderProbe::client(const QString &token)
{
    m_token = token.trimmed();
    if (!m_client) {
        replicate::ReplicateClient::Options options;
        options.baseUrl = m_apiBase;
        options.token = [this] { return m_token; };
        options.requestTimeout = std::chrono::seconds(15);
        options.retry.maxAttempts = 2;
        m_client = new replicate::ReplicateClient(std::move(options), this);
    }
    return m_client;
}

void ProviderProbe::account(const QString &token, QObject *context, ProviderCallback<Account> done)
{
    client(token)->account(context, std::move(done));
}

void ProviderProbe::checkModel(const QString &token, const QString &modelRef,
                               const QStringList &inputKeys, bool wantImages, QObject *context,
                               std::function<void(const ModelCheck &)> done)
{
    const auto ref = ModelRef::parse(modelRef.trimmed());
    if (!ref) {
        QTimer::singleShot(0, context, [done] {
            done({false, QObject::tr("Write it as owner/name (or owner/name:version).")});
        });
        return;
    }
    auto fail = [done](const ProviderError &error) {
        done({false, error.kind == ProviderError::Kind::NotFound
                         ? QObject::tr("No such model on Replicate (or it's private).")
                         : describeProviderProblem(error)});
    };
    auto judge = [done, inputKeys, wantImages](const QString &name, const ModelVersion &version) {
        const QString problems = schemaProblems(version, inputKeys, wantImages);
        if (!problems.isEmpty()) {
            done({false, problems});
            return;
        }
        done({true, QObject::tr("%1 · version %2%3")
                        .arg(name, version.id.left(8),
                             version.hasSchema ? QObject::tr(" · inputs fit")
                                               : QObject::tr(" · no schema to check"))});
    };
    const QString name = ref->owner + QLatin1Char('/') + ref->name;
    switch (ref->kind) {
    case ModelRef::Kind::Model:
        client(token)->getModel(ref->owner, ref->name, context,
                                [fail, judge, done, name](const ProviderResult<ModelInfo> &r) {
                                    if (!r) {
                                        fail(r.error());
                                        return;
                                    }
                                    if (!r->latestVersion) {
                                        done({false, QObject::tr("This model has no published "
                                                                 "version to run.")});
                                        return;
                                    }
                                    judge(name, *r->latestVersion);
                                });
        return;
    case ModelRef::Kind::Version:
        if (ref->owner.isEmpty())
            break;
        client(token)->getModelVersion(ref->owner, ref->name, ref->version, context,
                                       [fail, judge, name](const ProviderResult<ModelVersion> &r) {
                                           if (!r) {
                                               fail(r.error());
                                               return;
                                           }
                                           judge(name, r.value());
                                       });
        return;
    case ModelRef::Kind::Deployment:
        break;
    }
    QTimer::singleShot(0, context, [done] {
        done({true, QObject::tr("Brieflow can't check a deployment or a bare version id here; "
                                "the first job will tell.")});
    });
}

} // namespace brieflow::ui
