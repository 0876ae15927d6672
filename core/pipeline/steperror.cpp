// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "steperror.h"

#include <QCoreApplication>
#include <QStringList>

namespace brieflow {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("StepError", text);
}

QString firstLine(const QString &text, int max = 300)
{
    QString line = text.trimmed().section(QLatin1Char('\n'), 0, 0);
    if (line.size() > max)
        line = line.left(max - 1) + QChar(0x2026);
    return line;
}

} // namespace

bool StepError::pausesQueue() const
{
    return type == StepErrorType::Unauthenticated || type == StepErrorType::InsufficientCredit
           || type == StepErrorType::BudgetReached;
}

StepError stepErrorFrom(const ProviderError &error)
{
    using Kind = ProviderError::Kind;
    StepError out;
    out.type = toString(error.kind);
    out.detail = error.describe();
    switch (error.kind) {
    case Kind::Unauthenticated:
        out.message = tr("Replicate did not accept the API token. Check the token in Settings "
                         "(or REPLICATE_API_TOKEN); the queue waits until it is fixed.");
        break;
    case Kind::InsufficientCredit:
        out.message = tr("Your Replicate account is out of credit. Add credit at "
                         "replicate.com/account/billing; the queue waits until then.");
        break;
    case Kind::InvalidInput: {
        QStringList fields;
        for (const InvalidField &field : error.invalidFields)
            fields << field.description;
        out.message = tr("The model refused its input: %1")
                          .arg(fields.isEmpty() ? firstLine(error.detail)
                                                : fields.join(QStringLiteral("; ")));
        break;
    }
    case Kind::NotFound:
        out.message = tr("Replicate does not know this model or prediction (404). Check the "
                         "model name in Settings.");
        break;
    case Kind::RateLimited:
        out.message = tr("Replicate is limiting how fast we can send requests; Brieflow will "
                         "try again.");
        break;
    case Kind::ServerError:
        out.message =
            tr("Replicate had a problem (HTTP %1); Brieflow will try again.").arg(error.httpStatus);
        break;
    case Kind::Network:
    case Kind::Timeout:
        out.message = tr("Could not reach Replicate; Brieflow will try again. Check the "
                         "internet connection if this keeps happening.");
        break;
    case Kind::MalformedResponse:
        out.message = tr("Replicate sent an answer Brieflow could not read; it will try again.");
        break;
    case Kind::OutcomeUnknown:
        out.message = tr("The connection broke while starting the model; Brieflow is checking "
                         "with Replicate whether it started, so nothing is paid twice.");
        break;
    case Kind::Canceled:
        out.message = tr("The request was stopped.");
        break;
    case Kind::HttpError:
    case Kind::InvalidRequest:
        out.message = tr("Replicate refused the request: %1").arg(firstLine(error.detail));
        break;
    }
    return out;
}

bool isPolicyRefusal(const QString &modelError)
{
    static const char *const markers[] = {"nsfw",           "safety",        "flagged",
                                          "content policy", "inappropriate", "sensitive",
                                          "not allowed",    "moderation"};
    const QString lower = modelError.toLower();
    for (const char *marker : markers) {
        if (lower.contains(QLatin1String(marker)))
            return true;
    }
    return false;
}

StepError stepErrorFrom(const Prediction &prediction)
{
    StepError out;
    out.detail = QStringLiteral("prediction %1 %2: %3")
                     .arg(prediction.id, toString(prediction.status), prediction.error);
    switch (prediction.status) {
    case PredictionStatus::Aborted:
        out.type = StepErrorType::Timeout;
        out.message = tr("The model did not start before the step's time limit; Brieflow will "
                         "try again.");
        break;
    case PredictionStatus::Canceled:
        out.type = StepErrorType::CanceledAtProvider;
        out.message = tr("The prediction was canceled at Replicate (outside Brieflow, or it "
                         "ran past its time limit).");
        break;
    default:
        if (isPolicyRefusal(prediction.error)) {
            out.type = StepErrorType::PolicyRefusal;
            out.message = tr("The model's safety filter refused this request: %1 Edit the "
                             "text and retry.")
                              .arg(firstLine(prediction.error));
        } else {
            out.type = StepErrorType::ModelFailed;
            out.message = prediction.error.trimmed().isEmpty()
                              ? tr("The model failed without saying why.")
                              : tr("The model failed: %1").arg(firstLine(prediction.error));
        }
        break;
    }
    return out;
}

} // namespace brieflow
