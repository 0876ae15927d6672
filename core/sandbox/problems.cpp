// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "problems.h"

#include <nlohmann/json.hpp>

namespace brieflow::sandbox::problems {

namespace {

using Json = nlohmann::ordered_json;

std::string utf8(const QString &text)
{
    return text.toStdString();
}

HttpResponse problemFrom(int status, const Json &body)
{
    const std::string text = body.dump();
    return HttpResponse::problem(status, QByteArray::fromStdString(text));
}

} // namespace

HttpResponse missingToken()
{
    return problemFrom(401, Json{{"title", "Unauthenticated"},
                                 {"detail", "You did not pass an authentication token"},
                                 {"status", 401}});
}

HttpResponse invalidToken()
{
    return problemFrom(401, Json{{"title", "Unauthenticated"},
                                 {"detail", "You did not pass a valid authentication token"},
                                 {"status", 401}});
}

HttpResponse insufficientCredit()
{
    // Recorded without "status"; the reporter may have abridged it, but we reproduce it as seen.
    return problemFrom(402, Json{{"title", "Insufficient credit"},
                                 {"detail", "You have insufficient credit to run this model. Go "
                                            "to https://replicate.com/account/billing#billing "
                                            "to purchase credit."}});
}

HttpResponse notFound()
{
    return problemFrom(
        404, Json{{"detail", "The requested resource could not be found."}, {"status", 404}});
}

HttpResponse invalidVersion()
{
    return problemFrom(422, Json{{"title", "Invalid version or not permitted"},
                                 {"detail", "The specified version does not exist (or perhaps "
                                            "you don't have permission to use it?)"},
                                 {"status", 422}});
}

HttpResponse validationFailed(const QList<FieldError> &errors)
{
    std::string detail;
    Json fields = Json::array();
    for (const FieldError &e : errors) {
        detail += "- "
                  + utf8(e.field.isEmpty() ? e.description
                                           : e.field + QStringLiteral(": ") + e.description)
                  + "\n";
        fields.push_back(Json{{"type", utf8(e.type)},
                              {"field", utf8(e.field)},
                              {"description", utf8(e.description)}});
    }
    return problemFrom(422, Json{{"detail", detail},
                                 {"status", 422},
                                 {"title", "Input validation failed"},
                                 {"invalid_fields", fields}});
}

HttpResponse throttled(int retryAfterSeconds, bool lowCredit)
{
    const std::string seconds = std::to_string(retryAfterSeconds);
    const std::string detail =
        lowCredit ? "Request was throttled. Your rate limit for creating predictions is reduced to "
                    "6 requests per minute with a burst of 1 requests while you have less than "
                    "$5.0 in credit. Your rate limit resets in ~"
                        + seconds + "s."
                  : "Request was throttled. Your rate limit resets in ~" + seconds + "s.";
    HttpResponse r = problemFrom(
        429, Json{{"detail", detail}, {"status", 429}, {"retry_after", retryAfterSeconds}});
    r.setHeader("Retry-After", QByteArray::number(retryAfterSeconds));
    return r;
}

HttpResponse serverError(int status)
{
    const char *detail = status == 502   ? "Bad gateway"
                         : status == 503 ? "Service unavailable"
                         : status == 504 ? "Gateway timeout"
                                         : "Internal server error";
    return problemFrom(status, Json{{"detail", detail}, {"status", status}});
}

HttpResponse badRequest(const QString &detail)
{
    return problemFrom(400,
                       Json{{"title", "Bad request"}, {"detail", utf8(detail)}, {"status", 400}});
}

HttpResponse methodNotAllowed(const QByteArray &method)
{
    return problemFrom(405, Json{{"detail", "Method \"" + method.toStdString() + "\" not allowed."},
                                 {"status", 405}});
}

} // namespace brieflow::sandbox::problems
